import type { Command } from 'commander';
import { action } from '../action.js';
import { installLines, limitFlags, serverInstallLines, warnPermissions } from './plugin-install.js';
import { consentOptions } from '../server-consent.js';
import { showRefusedReport } from './plugin-package.js';

/** Registers plugin-update. */
export function register(program: Command): void {
  program
    .command('plugin-update')
    .description('replace an installed plugin by a newer version in one atomic swap (data kept)')
    .argument('<name>', 'installed plugin')
    .argument('[source]', 'plugin folder, .tgz file, or http(s) URL of the new version; omitted for a plugin installed from npm: or pypi: (re-resolved within its range)')
    .option('--prov <file>', 'provenance file or URL (default: <tgz>.prov beside the package)')
    .option('--allow-unsigned', 'install a .tgz without a trusted signature (recorded as unsigned)')
    .option('--allow-downgrade', 'allow an older version')
    .option('--force', 'reinstall the version already installed')
    .option('--max-unpacked <MiB>', 'refuse packages that unpack to more than this (default 100)')
    .option('--max-entries <n>', 'refuse packages with more entries than this (default 10000)')
    .option('--yes', 'accept the changes and permissions shown without asking (required without a terminal when an update adds permissions)')
    .addHelpText('after', `
Without a source, a plugin installed from npm: or pypi: is re-resolved within the range it was
installed with (npm:pkg@^1.2 takes the newest 1.x; pypi:pkg==1.0 stays); the version, command,
permission and tool changes are shown before anything is replaced. Its --env, --arg and
--allow-* flags are kept.`)
    .action(action(async ({ out, home }, name: string, source: string | undefined, o: { prov?: string; allowUnsigned?: boolean; allowDowngrade?: boolean; force?: boolean; maxUnpacked?: string; maxEntries?: string; yes?: boolean }) => {
      if (source === undefined) {
        const { updateServerSource } = await import('../../core/sources/update-server.js');
        const { inspectEntry } = await import('../../host/inspect-entry.js');
        const spin = await out.spinner(`Resolving ${name}`);
        const u = await updateServerSource(name, {
          home, force: o.force, allowDowngrade: o.allowDowngrade, inspectEntry, ...consentOptions(out, { env: [], arg: [], allowRead: [], allowWrite: [], allowNet: [], yes: o.yes }, () => spin.stop()),
        }).finally(() => spin.stop());
        if ('upToDate' in u) {
          out.result(u, () => [`${u.name}@${u.version} is up to date (${u.spec})`]);
          return;
        }
        out.result(u, () => serverInstallLines(out, u));
        return;
      }
      const { updatePlugin } = await import('../../core/store/install.js');
      const { inspectEntry } = await import('../../host/inspect-entry.js');
      const { canPrompt } = await import('./sign-shared.js');
      const r = await updatePlugin(name, source, {
        home, prov: o.prov, allowUnsigned: o.allowUnsigned, allowDowngrade: o.allowDowngrade, force: o.force, limits: limitFlags(o), inspectEntry, yes: o.yes,
        onWidened: (plugin, lines) => {
          out.info(`${plugin}: the new version asks for more permissions:`);
          for (const l of lines) out.info(`  ${l}`);
        },
        ...(!o.yes && canPrompt() ? {
          confirmWidened: async (plugin: string) => {
            const { confirm } = await import('@inquirer/prompts');
            return confirm({ message: `Update ${plugin} with these permissions?`, default: false }, { output: process.stderr });
          },
        } : {}),
      }).catch((err: unknown) => {
        showRefusedReport(out, err);
        throw err;
      });
      warnPermissions(out, r);
      out.result(r, () => installLines(out, r));
    }));
}
