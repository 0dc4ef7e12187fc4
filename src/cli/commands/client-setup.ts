import type { Command } from 'commander';
import { action } from '../action.js';
import { ExitCode } from '../../core/errors.js';

interface ClientSetupFlags {
  config?: string;
  name?: string;
  profile?: string;
  print?: boolean;
  remove?: boolean;
}

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
    .addHelpText('after', `
The entry runs the absolute node binary with the absolute path of pm's bin, then
serve --mcp (and --home when PM_HOME is not ~/.pm), so clients started from the
desktop, without a shell's PATH, start it too. Other servers and keys in the file
are kept; a copy <file>.pm-backup-<time> is taken before any change; a second run
changes nothing. See docs/clients.md for each client's file.

Examples:
  $ pm client-setup claude-desktop
  $ pm client-setup cursor --print
  $ pm client-setup claude-code --config .mcp.json           project scope
  $ pm client-setup codex --profile coding --name pm-coding
  $ pm client-setup vscode --remove`)
    .action(action(async ({ out, home }, client: string, o: ClientSetupFlags) => {
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
