import type { Command } from 'commander';
import { describeNetworkReason } from '../../core/marketplace/unreachable.js';
import { action } from '../action.js';
import { isBundlePath } from '../../core/sources/bundle-path.js';
import { usageError } from '../../core/errors.js';
import type { InstallResult } from '../../core/store/install.js';
import type { Output } from '../output.js';
import { showRefusedReport } from './plugin-package.js';
import { consentOptions, hasServerFlags, serverFlagOptions, type ServerFlagValues } from '../server-consent.js';
import type { NpmServerResult } from '../../core/sources/install-npm.js';
import type { PypiServerResult } from '../../core/sources/install-pypi.js';
import type { ServerInstallResult } from '../../core/sources/stage-server.js';

/** Parses the size/entry limit flags shared by plugin-install and plugin-update. */
export function limitFlags(o: { maxUnpacked?: string; maxEntries?: string }): { maxUnpackedBytes?: number; maxEntries?: number } {
  const num = (v: string | undefined, flag: string) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw usageError(`${flag} must be a positive number (got "${v}")`);
    return n;
  };
  const mib = num(o.maxUnpacked, '--max-unpacked');
  return { maxUnpackedBytes: mib === undefined ? undefined : Math.floor(mib * 1024 * 1024), maxEntries: num(o.maxEntries, '--max-entries') };
}

/** Parses --timeout <ms> of plugin-install. */
function timeoutFlag(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw usageError(`--timeout ${v} is not a number of milliseconds`, 'e.g. --timeout 10000');
  return n;
}

/** Human lines for an install or update result, with the full-trust warning. */
export function installLines(out: Output, r: InstallResult): string[] {
  const verb = { installed: 'Installed', updated: 'Updated', reinstalled: 'Reinstalled', downgraded: 'Downgraded' }[r.action];
  const from = r.previousVersion && r.previousVersion !== r.version ? ` (was ${r.previousVersion})` : '';
  const who = r.signer ? `signed by ${r.signer.userIds[0] ?? r.signer.fingerprint} (${r.signer.fingerprint})` : out.c.yellow('unsigned');
  const lines = [`${verb} ${r.name}@${r.version}${from}, ${who}, ${r.enabled ? 'enabled' : 'disabled'}`];
  if (r.note) lines.push(`note: ${r.note}`);
  return lines;
}

/** Warns on stderr about what the plugin's permission policy asks the user to accept (full trust, refused paths). */
export function warnPermissions(out: Output, r: Pick<InstallResult, 'permissionWarnings'>): void {
  for (const w of r.permissionWarnings) out.warn(w);
}

/** Human lines for a server source install (npm:, pypi:, mcp-add). */
export function serverInstallLines(out: Output, r: ServerInstallResult | NpmServerResult | PypiServerResult): string[] {
  const lines = installLines(out, r);
  const n = (k: number) => `${k} package${k === 1 ? '' : 's'}`;
  if ('npm' in r) lines.push(`npm ${r.npm.package}@${r.npm.version}, bin ${r.npm.bin}, ${n(r.npm.packages)} (install scripts off)`);
  if ('pypi' in r) lines.push(`pypi ${r.pypi.package}==${r.pypi.version}, script ${r.pypi.script}, ${n(r.pypi.packages)} (${r.pypi.built.length ? `built from source: ${r.pypi.built.join(', ')}` : 'wheels only'})`);
  return lines;
}

interface InstallFlags extends ServerFlagValues {
  prov?: string; allowUnsigned?: boolean; force?: boolean; allowDowngrade?: boolean; disabled?: boolean; maxUnpacked?: string; maxEntries?: string; timeout?: string;
  name?: string; bin?: string; allowSdist?: boolean; config: string[]; registryUrl?: string;
}

/** Parses the --config KEY=VALUE flags of a bundle install. */
function configFlags(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw usageError(`--config ${v} is not KEY=VALUE`, 'e.g. --config api_url=https://example.org');
    out[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return out;
}

/** Registers plugin-install. */
export function register(program: Command): void {
  const cmd = program
    .command('plugin-install')
    .description('install a plugin from a folder, a .tgz, an http(s) URL, or an MCP server from npm: or pypi:')
    .argument('<source>', 'plugin folder (development install), .tgz file, http(s) URL of one, an .mcpb bundle file, npm:<package>[@<range>] or pypi:<package>[==<version>]')
    .option('--prov <file>', 'provenance file or URL (default: <tgz>.prov beside the package)')
    .option('--allow-unsigned', 'install a .tgz without a trusted signature (recorded as unsigned)')
    .option('--force', 'reinstall the version already installed')
    .option('--allow-downgrade', 'replace an installed plugin by an older version')
    .option('--disabled', 'install without enabling it')
    .option('--max-unpacked <MiB>', 'refuse packages that unpack to more than this (default 100)')
    .option('--max-entries <n>', 'refuse packages with more entries than this (default 10000)')
    .option('--timeout <ms>', 'for a URL: how long the server may take to answer, and to send more (default 30000)')
    .option('--name <name>', 'npm:/pypi: the plugin name (default: the package name without its scope)')
    .option('--bin <name>', "npm:/pypi: the package's bin (console script) that runs the server, when it has several")
    .option('--allow-sdist', 'pypi: let pip build source distributions, which runs their build code (default: wheels only)')
    .option('--registry-url <url>', 'registry:<name>: the MCP Registry to read its server.json from (its /v0/servers API)')
    .option('--config <KEY=VALUE>', ".mcpb: a value of the bundle's user_config (sensitive ones are stored as pm secrets; repeat for more)", (v: string, p: string[]) => [...p, v], []);
  serverFlagOptions(cmd)
    .addHelpText('after', `
Examples:
  $ pm plugin-install ./prompt-pack-1.0.0.tgz    verifies prompt-pack-1.0.0.tgz.prov with your trusted keys
  $ pm plugin-install https://example.org/prompt-pack-1.0.0.tgz
  $ pm plugin-install ./usage-analytics          development install of a folder (unsigned)
  $ pm plugin-install npm:@modelcontextprotocol/server-filesystem --arg '\${dataDir}' --yes
                                                 an MCP server from npm (install scripts off)
  $ pm plugin-install registry:io.github.owner/weather@1.0.0 --registry-url https://registry.example.org
                                                 the npm, PyPI or .mcpb package of an MCP Registry entry

npm: and pypi: install an MCP server as a server plugin: they show the permissions it gets and
ask before installing (--yes without a terminal). Unknown prefixes are refused (exit 2).
Exit codes: 4 when the signature or the package's content fails verification, or a URL does not answer in time.`)
    .action(action(async ({ out, home }, source: string, o: InstallFlags) => {
      if (isBundlePath(source)) {
        const { installMcpbBundle } = await import('../../core/sources/install-mcpb.js');
        const { inspectEntry } = await import('../../host/inspect-entry.js');
        const { askBundleConfig } = await import('../mcpb-prompts.js');
        try {
          const r = await installMcpbBundle(source, {
            home, name: o.name, force: o.force, allowDowngrade: o.allowDowngrade, enable: !o.disabled, inspectEntry, allowUnsigned: o.allowUnsigned, fetchTimeoutMs: timeoutFlag(o.timeout),
            limits: Object.fromEntries(Object.entries(limitFlags(o)).filter(([, v]) => v !== undefined)), config: configFlags(o.config),
            askConfig: askBundleConfig(), ...consentOptions(out, o),
          });
          const sig = r.mcpb.signature;
          if (sig.status === 'unsigned') out.warn(`${r.name} was installed from an unsigned bundle (--allow-unsigned)`);
          else if (!sig.trusted) out.warn(`${r.name} was installed from a bundle ${sig.status} by ${sig.subject}, which you do not trust (--allow-unsigned)`);
          out.result(r, () => [...serverInstallLines(out, r), `mcpb ${r.mcpb.serverType} bundle (manifest ${r.mcpb.manifestVersion}), ${sig.status}${sig.subject ? ` by ${sig.subject}${sig.trusted ? ' (trusted)' : ''}` : ''}, sha256 ${r.mcpb.sha256}${r.mcpb.secrets.length ? `, secrets ${r.mcpb.secrets.join(', ')}` : ''}`]);
        } catch (err) {
          showRefusedReport(out, err);
          throw err;
        }
        return;
      }
      const { parseInstallSource } = await import('../../core/sources/parse-source.js');
      const parsed = parseInstallSource(source);
      if (o.config.length && parsed.type !== 'registry') throw usageError('--config applies to .mcpb bundles', "set a plugin's configuration with pm plugin-config <name> <key> <value>");
      if (o.registryUrl !== undefined && parsed.type !== 'registry') throw usageError('--registry-url applies to registry:<name> sources');
      if (parsed.type !== 'path') {
        const { installServerSource } = await import('../../core/sources/install-source.js');
        const { inspectEntry } = await import('../../host/inspect-entry.js');
        const spin = await out.spinner(`Fetching ${source}`);
        try {
          const r = await installServerSource(parsed, {
            home, name: o.name, bin: o.bin, allowSdist: o.allowSdist, force: o.force, allowDowngrade: o.allowDowngrade, enable: !o.disabled, inspectEntry,
            registryUrl: o.registryUrl, allowUnsigned: o.allowUnsigned, config: configFlags(o.config),
            ...consentOptions(out, o, () => spin.stop()),
          });
          spin.stop();
          if ('registry' in r) for (const n of r.registry.notes) out.warn(n);
          out.result(r, () => [...serverInstallLines(out, r), ...('registry' in r ? [`registry ${r.registry.name}@${r.registry.version}: ${r.registry.registryType} ${r.registry.identifier} (from ${r.registry.from})`] : [])]);
        } catch (err) {
          spin.stop();
          showRefusedReport(out, err);
          throw err;
        }
        return;
      }
      if (hasServerFlags(o) || o.name !== undefined || o.bin !== undefined || o.allowSdist) {
        throw usageError('--name, --bin, --allow-sdist, --env, --arg and --allow-* apply to npm: and pypi: sources', 'a folder or .tgz carries its own plugin.json; edit it there');
      }
      const { installPlugin } = await import('../../core/store/install.js');
      const { inspectEntry } = await import('../../host/inspect-entry.js');
      const spin = await out.spinner(`Installing ${source}`);
      try {
        const r = await installPlugin(source, {
          home, prov: o.prov, allowUnsigned: o.allowUnsigned, force: o.force, allowDowngrade: o.allowDowngrade,
          enable: !o.disabled, limits: limitFlags(o), fetchTimeoutMs: timeoutFlag(o.timeout), inspectEntry,
          onFetch: (url, attempt, attempts, lastError) => { spin.text = `downloading ${url}${attempt > 1 ? ` (attempt ${attempt} of ${attempts}; last: ${describeNetworkReason(lastError)})` : ''}`; },
        });
        spin.stop();
        warnPermissions(out, r);
        out.result(r, () => installLines(out, r));
      } catch (err) {
        spin.stop();
        showRefusedReport(out, err);
        throw err;
      }
    }));
}
