import type { Command } from 'commander';
import { action } from '../action.js';
import { ExitCode, PmError } from '../../core/errors.js';
import type { Output } from '../output.js';
import { consentOptions } from '../server-consent.js';
import type { ClientImportResult } from '../../core/client-config/import.js';

interface ClientSetupFlags {
  config?: string;
  name?: string;
  profile?: string;
  print?: boolean;
  remove?: boolean;
  import?: boolean;
  dryRun?: boolean;
  yes?: boolean;
}

const noServerFlags = { env: [], arg: [], allowRead: [], allowWrite: [], allowNet: [] };

/** Registers client-setup. */
export function register(program: Command): void {
  program
    .command('client-setup')
    .description("write pm into an MCP client's config (claude-desktop, claude-code, cursor, vscode, windsurf, codex)")
    .argument('<client>', 'claude-desktop | claude-code | cursor | vscode | windsurf | codex')
    .option('--config <file>', "this config file instead of the client's default one (e.g. a project's .mcp.json)")
    .option('--name <name>', 'the entry name', 'pm')
    .option('--profile <name>', 'serve only this profile (passed to pm serve --mcp)')
    .option('--print', 'show the file as it would be written, write nothing')
    .option('--remove', "take pm's entry out again")
    .option('--import', "instead: add the client's stdio servers to pm as server plugins")
    .option('--dry-run', 'with --import: list what would be imported, install nothing (also --print)')
    .option('--yes', 'with --import: accept each server\'s permissions without asking (required without a terminal)')
    .addHelpText('after', `
The entry runs the absolute node binary with the absolute path of pm's bin, then
serve --mcp (and --home when PM_HOME is not ~/.pm), so clients started from the
desktop, without a shell's PATH, start it too. Other servers and keys in the file
are kept; a copy <file>.pm-backup-<time> is taken before any change; a second run
changes nothing. See docs/clients.md for each client's file.

--import turns each server the client starts on stdio into a local, unsigned server
plugin (as pm mcp-add does); env values of keys with TOKEN, KEY, SECRET or PASSWORD
go to pm's secrets and the plugin refers to them as \${secret.NAME}. pm's own entry
and remote (url) servers are skipped.

Examples:
  $ pm client-setup claude-desktop
  $ pm client-setup cursor --print
  $ pm client-setup claude-code --config .mcp.json           project scope
  $ pm client-setup codex --profile coding --name pm-coding
  $ pm client-setup vscode --remove
  $ pm client-setup --import cursor --dry-run`)
    .action(action(async ({ out, home }, client: string, o: ClientSetupFlags) => {
      // Flags of the other mode would be ignored silently: say so instead.
      const stray = o.import ? [o.remove && '--remove', o.profile !== undefined && '--profile'] : [o.dryRun && '--dry-run', o.yes && '--yes'];
      const given = stray.filter((f): f is string => typeof f === 'string');
      if (given.length) throw new PmError('USAGE', `${given.join(' and ')} ${given.length > 1 ? 'mean' : 'means'} nothing ${o.import ? 'with' : 'without'} --import`, { hint: o.import ? `pm client-setup --import ${client} [--dry-run] [--yes]` : `pm client-setup ${client} [--print] [--remove]` });
      if (o.import) return runImport(out, home, client, o);
      const { setupClient } = await import('../../core/client-config/setup.js');
      const r = await setupClient(client, { home, config: o.config, name: o.name, profile: o.profile, print: o.print, remove: o.remove });
      if (r.backup) out.info(`backup of ${r.path}: ${r.backup}`);
      if (o.print && !out.json) {
        out.raw(r.text);
        return ExitCode.ok;
      }
      const said = {
        added: `added "${r.name}" to ${r.path}: restart ${r.client} to start pm`,
        updated: `updated "${r.name}" in ${r.path}: restart ${r.client} to use it`,
        unchanged: `"${r.name}" in ${r.path} is already up to date: nothing changed`,
        removed: `removed "${r.name}" from ${r.path}`,
        absent: `${r.path} has no "${r.name}": nothing changed`,
      }[r.action];
      out.result(r, () => (o.print ? [] : [said]));
      return ExitCode.ok;
    }));
}

function importLines(r: ClientImportResult, dryRun: boolean): string[] {
  const lines: string[] = [];
  for (const i of r.imported) {
    lines.push(`${dryRun ? 'would import' : 'imported'} ${i.server} as ${i.plugin}: ${i.command.join(' ')}`);
    for (const [k, v] of Object.entries(i.env)) if (v.startsWith('${secret.')) lines.push(`  env ${k}: ${dryRun ? 'would be stored' : 'stored'} as the pm secret ${v.slice(9, -1)}, referred to as ${v}`);
    for (const n of i.notes) lines.push(`  note: ${n}`);
  }
  for (const s of r.skipped) lines.push(`skipped ${s.server}: ${s.reason}`);
  lines.push(`${r.imported.length} ${dryRun ? 'to import' : 'imported'}, ${r.skipped.length} skipped, from ${r.path}`);
  return lines;
}

async function runImport(out: Output, home: string, client: string, o: ClientSetupFlags): Promise<number> {
  const { importClientServers } = await import('../../core/client-config/import.js');
  const dryRun = Boolean(o.dryRun || o.print);
  const consent = consentOptions(out, { ...noServerFlags, yes: o.yes });
  const r = await importClientServers(client, { home, config: o.config, dryRun, yes: consent.yes, onConsent: consent.onConsent, confirm: consent.confirm });
  out.result(r, () => importLines(r, dryRun));
  // A server already installed is not a failure: importing twice lands in the same place.
  return r.skipped.some((s) => s.code !== undefined && s.code !== 'SERVER_NAME_TAKEN') ? ExitCode.failure : ExitCode.ok;
}
