import type { Command } from 'commander';
import { action } from '../action.js';
import { installLines, limitFlags, warnPermissions } from './plugin-install.js';
import { showRefusedReport } from './plugin-package.js';

/** Registers plugin-update. */
export function register(program: Command): void {
  program
    .command('plugin-update')
    .description('replace an installed plugin by a newer version in one atomic swap (data kept)')
    .argument('<name>', 'installed plugin')
    .argument('<source>', 'plugin folder, .tgz file, or http(s) URL of the new version')
    .option('--prov <file>', 'provenance file or URL (default: <tgz>.prov beside the package)')
    .option('--allow-unsigned', 'install a .tgz without a trusted signature (recorded as unsigned)')
    .option('--allow-downgrade', 'allow an older version')
    .option('--force', 'reinstall the version already installed')
    .option('--max-unpacked <MiB>', 'refuse packages that unpack to more than this (default 100)')
    .option('--max-entries <n>', 'refuse packages with more entries than this (default 10000)')
    .action(action(async ({ out, home }, name: string, source: string, o: { prov?: string; allowUnsigned?: boolean; allowDowngrade?: boolean; force?: boolean; maxUnpacked?: string; maxEntries?: string }) => {
      const { updatePlugin } = await import('../../core/store/install.js');
      const { inspectEntry } = await import('../../host/inspect-entry.js');
      const r = await updatePlugin(name, source, {
        home, prov: o.prov, allowUnsigned: o.allowUnsigned, allowDowngrade: o.allowDowngrade, force: o.force, limits: limitFlags(o), inspectEntry,
      }).catch((err: unknown) => {
        showRefusedReport(out, err);
        throw err;
      });
      warnPermissions(out, r);
      out.result(r, () => installLines(out, r));
    }));
}
