import type { Command } from 'commander';
import { action } from '../action.js';
import { usageError } from '../../core/errors.js';

/** Registers plugin-config. */
export function register(program: Command): void {
  program
    .command('plugin-config')
    .description("read or set a plugin's configuration (validated against its config schema)")
    .argument('<name>', 'installed plugin')
    .argument('[key]', 'configuration key')
    .argument('[value]', 'new value (JSON, or text)')
    .option('--unset <key>', 'remove a value so its default applies again')
    .addHelpText('after', `
Examples:
  $ pm plugin-config notes                 all values, defaults applied
  $ pm plugin-config notes maxNotes 200    set a value (checked against the schema; exit 3 if invalid)
  $ pm plugin-config notes --unset maxNotes`)
    .action(action(async ({ out, home }, name: string, key: string | undefined, value: string | undefined, o: { unset?: string }) => {
      const cfg = await import('../../core/store/config.js');
      if (o.unset !== undefined) {
        if (key !== undefined) throw usageError('--unset takes the key itself; give no other key or value', `pm plugin-config ${name} --unset ${o.unset}`);
        const r = await cfg.unsetConfig(name, o.unset, { home });
        out.result(r, () => `Unset ${name} ${o.unset}; now ${JSON.stringify(r.values[o.unset!] ?? null)}`);
        return;
      }
      if (key !== undefined && value !== undefined) {
        const r = await cfg.setConfig(name, key, value, { home });
        out.result(r, () => `Set ${name} ${key} = ${JSON.stringify(r.values[key])}`);
        return;
      }
      const r = await cfg.getConfig(name, { home });
      if (key !== undefined) {
        if (!Object.hasOwn(r.values, key)) throw usageError(`${name} has no value for "${key}"`, `see all values with 'pm plugin-config ${name}'`);
        out.result({ name, key, value: r.values[key], set: Object.hasOwn(r.set, key) }, () => JSON.stringify(r.values[key]));
        return;
      }
      out.result(r, () => {
        const keys = Object.keys(r.values).sort();
        if (!keys.length) return r.schema ? `${name} has no configuration values` : `${name} declares no configuration`;
        return keys.map((k) => `${k} = ${JSON.stringify(r.values[k])}${Object.hasOwn(r.set, k) ? '' : ' (default)'}`);
      });
    }));
}
