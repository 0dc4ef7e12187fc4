import type { Command } from 'commander';
import { action } from '../action.js';
import { resolve } from 'node:path';
import { ExitCode } from '../../core/errors.js';

/** Registers doctor and other cross-cutting commands. */
export function register(program: Command): void {
  program
    .command('doctor')
    .description('check Node, the sandbox, PM_HOME, gpg and the pm entries of AI client configs; print the entry that starts pm here')
    .option('--client-config <file...>', 'check these client config files instead of the known ones (also: PM_CLIENT_CONFIGS)')
    .action(action(async ({ out, home }, opts: { clientConfig?: string[] }) => {
      const { runDoctor } = await import('../../core/doctor/checks.js');
      const { clientOfFile } = await import('../../core/client-config/locations.js');
      const clientConfigs = opts.clientConfig?.map((p) => ({ client: clientOfFile(resolve(p)), path: resolve(p) }));
      const report = await runDoctor({ home, clientConfigs });
      out.result(report, () => {
        const mark = { ok: out.c.green('ok  '), warn: out.c.yellow('warn'), fail: out.c.red('fail') };
        const lines = report.checks.map((c) => `${mark[c.status]} ${c.name}: ${c.detail}${c.hint ? `\n       hint: ${c.hint}` : ''}`);
        lines.push(report.ok ? 'All checks passed.' : 'Some checks failed: see the hints above.');
        const s = report.client.snippets;
        lines.push(
          '',
          'To start pm from an AI client, run pm client-setup <claude-desktop|claude-code|cursor|vscode|windsurf|codex>,',
          'or paste this entry (it works whatever PATH the client has):',
          '',
          'Claude Desktop (claude_desktop_config.json) and Cursor (~/.cursor/mcp.json):',
          s.mcpServersJson,
          '',
          'Claude Code (run in a terminal):',
          s.claudeCodeCommand,
          '',
          `Over HTTP (pm serve --mcp --http 7420), clients send the token kept in ${report.client.http.tokenPath}:`,
          report.client.http.snippets.mcpServersJson,
          report.client.http.snippets.claudeCodeCommand,
        );
        return lines;
      });
      return report.ok ? ExitCode.ok : ExitCode.failure;
    }, { checkHome: false }));

  program
    .command('completion')
    .description('print a shell completion script (bash, zsh or fish)')
    .argument('<shell>', 'bash | zsh | fish')
    .addHelpText('after', `
Examples:
  $ source <(pm completion bash)                              in ~/.bashrc
  $ source <(pm completion zsh)                               in ~/.zshrc
  $ pm completion fish > ~/.config/fish/completions/pm.fish`)
    .action(action(async ({ out }, shell: string) => {
      const { completionScript } = await import('../completion.js');
      out.raw(completionScript(shell, program));
    }));
}
