import type { Command } from 'commander';
import { PmError } from '../../core/errors.js';
import { action } from '../action.js';

/** Registers plugin-trust. */
export function register(program: Command): void {
  program
    .command('plugin-trust')
    .description('let a server plugin run unsandboxed where no OS sandbox (bubblewrap) runs: --full grants it, --revoke takes it back')
    .argument('<name>', 'installed plugin')
    .option('--full', 'grant full trust: the plugin may run with all your rights')
    .option('--revoke', 'take the grant back')
    .action(action(async ({ out, home }, name: string, o: { full?: boolean; revoke?: boolean }) => {
      if (Boolean(o.full) === Boolean(o.revoke)) throw new PmError('USAGE', 'give exactly one of --full and --revoke', { hint: `pm plugin-trust ${name} --full` });
      const { setFullTrust } = await import('../../core/store/trust.js');
      const r = await setFullTrust(name, Boolean(o.full), { home });
      out.result(r, () => [
        r.fullTrust
          ? `${r.changed ? 'Granted' : 'Already granted:'} full trust to ${r.name}@${r.version} (since ${r.fullTrust.since}): where bubblewrap does not run, it starts unsandboxed with your rights`
          : `${r.changed ? 'Revoked' : 'No grant to revoke:'} full trust of ${r.name}@${r.version}`,
      ]);
    }));
}
