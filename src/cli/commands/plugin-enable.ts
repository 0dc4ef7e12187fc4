import type { Command } from 'commander';
import { action } from '../action.js';

/** Registers plugin-enable and plugin-disable. */
export function register(program: Command): void {
  for (const enabled of [true, false]) {
    const verb = enabled ? 'enable' : 'disable';
    const cmd = program
      .command(`plugin-${verb}`)
      .description(enabled ? 'enable an installed plugin (its dependencies must be enabled); on an enabled one, a running pm serve restarts it' : 'disable a plugin without uninstalling it')
      .argument('<name>', 'installed plugin');
    if (!enabled) cmd.option('--force', 'disable even though enabled plugins depend on it');
    cmd.action(action(async ({ out, home }, name: string, o: { force?: boolean }) => {
      const { setEnabled } = await import('../../core/store/enable.js');
      const r = await setEnabled(name, enabled, { home, force: o.force });
      out.result(r, () => [
        `${r.changed ? (enabled ? 'Enabled' : 'Disabled') : `Already ${verb}d:`} ${r.name}@${r.version}`,
        ...(r.restartRequested ? ['a running pm serve restarts it now (clearing a failed state)'] : []),
      ]);
    }));
  }
}
