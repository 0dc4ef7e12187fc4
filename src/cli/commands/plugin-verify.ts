import type { Command } from 'commander';
import { action } from '../action.js';

/** Registers plugin-verify. */
export function register(program: Command): void {
  program
    .command('plugin-verify')
    .description('check a package against its .prov: trusted signature, size, integrity, name and version')
    .argument('<tgz>', 'package to check')
    .option('--prov <file>', 'provenance file (default: <tgz>.prov)')
    .action(action(async ({ out, home }, tgz: string, opts: { prov?: string }) => {
      const { verifyPackage } = await import('../../core/sign/verify-package.js');
      const r = await verifyPackage(tgz, { home, provPath: opts.prov });
      out.result(r, () => [
        `verified ${r.name}@${r.version} (${r.file})`,
        `signed by: ${r.signer.fingerprint}${r.signer.userIds.length ? ` (${r.signer.userIds.join(', ')})` : ''}`,
        `integrity: ${r.integrity}`,
      ]);
    }));
}
