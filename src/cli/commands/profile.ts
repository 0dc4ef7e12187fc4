import type { Command } from 'commander';
import { action } from '../action.js';
import type { Profile } from '../../core/store/profiles.js';

const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

function describe(p: Profile): string {
  return [p.plugins ? `plugins ${p.plugins.join(', ')}` : 'any plugin', p.tools ? `tools ${p.tools.join(', ')}` : 'all their tools'].join('; ');
}

/** Registers profile-set, profile-list, profile-show and profile-remove. */
export function register(program: Command): void {
  program
    .command('profile-set')
    .description('create or replace a profile: the plugins and tools pm serve --profile NAME serves')
    .argument('<name>', 'lowercase letters, digits and -, e.g. coding')
    .option('--plugins <a,b>', 'serve only these plugins (comma-separated)', list)
    .option('--tools <globs>', "serve only tools matching these <plugin>.<tool> globs (comma-separated; * and ?)", list)
    .addHelpText('after', `
A tool is served when its plugin is in --plugins (or --plugins is not given) and it
matches one of --tools (or --tools is not given). Plugins outside the profile still run
their hooks.

Examples:
  $ pm profile-set notes-only --plugins notes
  $ pm profile-set reading --plugins notes,http-fetch --tools 'notes.list,notes.search,http-fetch.get'`)
    .action(action(async ({ out, home }, name: string, opts: { plugins?: string[]; tools?: string[] }) => {
      const { setProfile } = await import('../../core/store/profiles.js');
      const p = await setProfile(name, { plugins: opts.plugins, tools: opts.tools }, { home });
      out.result(p, () => [`${p.replaced ? 'replaced' : 'saved'} profile ${name}: ${describe(p)}`, `see what it serves with 'pm profile-show ${name}'`]);
    }));

  program
    .command('profile-list')
    .description('list the profiles')
    .action(action(async ({ out, home }) => {
      const { listProfiles } = await import('../../core/store/profiles.js');
      const profiles = await listProfiles({ home });
      out.result({ profiles }, () => (profiles.length ? profiles.map((p) => `${p.name.padEnd(20)} ${describe(p)}`) : ["no profiles yet: make one with 'pm profile-set NAME --plugins a,b'"]));
    }));

  program
    .command('profile-show')
    .description('show what a profile serves now, with the estimated context cost of its tools')
    .argument('<name>', 'the profile')
    .action(action(async ({ out, home }, name: string) => {
      const { showProfile } = await import('../../core/store/profile-view.js');
      const { formatCost } = await import('../../core/context-cost.js');
      const v = await showProfile(name, { home });
      out.result(v, () => {
        const lines = [`${out.c.bold(name)}: ${describe(v.profile)}`];
        for (const s of v.served) {
          const cost = v.cost.plugins.find((c) => c.plugin === s.plugin)!;
          lines.push(`  ${s.plugin.padEnd(20)} ${formatCost(cost)}${s.tools.length ? `: ${s.tools.map((t) => t.slice(s.plugin.length + 1)).join(', ')}` : ''}`);
        }
        if (!v.served.length) lines.push('  serves no enabled plugin');
        lines.push(`  total                ${formatCost(v.cost.total)} (estimate: characters of tools/list / 4)`);
        for (const m of v.notFound.plugins) out.warn(`profile ${name} names plugin ${m.plugin}, which is ${m.reason}`);
        for (const g of v.notFound.tools) out.warn(`profile ${name}: '${g}' matches no tool of its plugins`);
        return lines;
      });
    }));

  program
    .command('profile-remove')
    .description('delete a profile')
    .argument('<name>', 'the profile')
    .action(action(async ({ out, home }, name: string) => {
      const { removeProfile } = await import('../../core/store/profiles.js');
      await removeProfile(name, { home });
      out.result({ name, removed: true }, () => `removed profile ${name}`);
    }));
}
