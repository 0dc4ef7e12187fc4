import type { Command } from 'commander';
import { action } from '../action.js';

const collect = (v: string, prev: string[]) => [...prev, v];

/** Registers prompt-list and prompt-render. */
export function register(program: Command): void {
  program
    .command('prompt-list')
    .description("list the prompts of every enabled plugin")
    .option('--plugin <name>', 'only this plugin\'s prompts')
    .action(action(async ({ out, home }, opts: { plugin?: string }) => {
      const { listPrompts } = await import('../../host/prompts/commands.js');
      const prompts = await listPrompts({ home, plugin: opts.plugin, warn: (m) => out.warn(m) });
      out.result({ prompts }, () => {
        if (!prompts.length) return 'No prompts: enabled plugins contribute none.';
        return prompts.map((p) => {
          const args = p.arguments.map((a) => (a.required ? a.name : `[${a.name}]`)).join(' ');
          return `${out.c.bold(p.id)}${args ? ' ' + args : ''}${p.description ? `  ${out.c.dim(p.description)}` : ''}`;
        });
      });
    }));

  program
    .command('prompt-render')
    .description('render a prompt with arguments, as text or chat messages')
    .argument('<prompt>', 'the prompt, as <plugin>.<prompt> or as MCP clients show it (<plugin>__<prompt>)')
    .option('--arg <name=value>', 'a prompt argument (repeat for more)', collect, [])
    .option('--format <format>', 'text, openai (chat messages) or anthropic ({ system, messages })', 'text')
    .addHelpText('after', `
Examples:
  $ pm prompt-render prompt-pack.summary --arg text="pm serves plugins" --arg length="one line"
  $ pm prompt-render prompt-pack__code-review --arg code="let x = 1" --format anthropic`)
    .action(action(async ({ out, home }, id: string, opts: { arg: string[]; format: string }) => {
      const { parsePromptArgs, renderPromptById } = await import('../../host/prompts/commands.js');
      const r = await renderPromptById(id, { home, args: parsePromptArgs(opts.arg), format: opts.format, warn: (m) => out.warn(m) });
      out.result(r, () => (typeof r.output === 'string' ? r.output : JSON.stringify(r.output, null, 2)));
    }));
}
