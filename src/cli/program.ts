import { Command, CommanderError, Help, Option } from 'commander';
import { ExitCode } from '../core/errors.js';
import { commandGroups } from './commands/index.js';

const EXAMPLES = `
Examples:
  $ pm plugin-create hello --type tool --yes      scaffold a plugin without questions
  $ pm plugin-test ./hello                        validate it and run its tests on the real host
  $ pm plugin-package ./hello && pm plugin-sign hello-0.1.0.tgz
  $ pm marketplace-add acme https://plugins.acme.example/ --key acme.asc
  $ pm marketplace-install notes                  verified install, with dependencies
  $ pm serve --mcp                                one MCP server for your AI client
  $ pm doctor                                     check this machine and PM_HOME

Aliases: install = plugin-install, uninstall = plugin-uninstall, ls and list =
plugin-list, info = plugin-info, update = plugin-update, search = marketplace-search.
Help on one command: pm help <command> or pm <command> --help.

Global flags go anywhere on the line. Exit codes: 0 ok, 1 failure, 2 usage,
3 validation failed, 4 verification failed. Docs: README.md and docs/.`;

/** Short names users of npm, wp-cli and Claude Code type first, and the command each one runs. */
export const ALIASES: Record<string, string> = {
  install: 'plugin-install',
  uninstall: 'plugin-uninstall',
  ls: 'plugin-list',
  list: 'plugin-list',
  info: 'plugin-info',
  update: 'plugin-update',
  search: 'marketplace-search',
};

/** Builds the commander program with every built command registered (actions load lazily). */
export function buildProgram(): Command {
  const program = new Command('pm')
    .description('Plugin manager and local MCP plugin host for AI tooling')
    .option('--home <dir>', 'PM_HOME folder (default: $PM_HOME or ~/.pm)')
    .option('--json', 'machine-readable output on stdout')
    .option('--verbose', 'more detail, and stack traces on errors')
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    .showSuggestionAfterError(true)
    .exitOverride()
    .addHelpText('after', EXAMPLES)
    .configureHelp({
      showGlobalOptions: true,
      // --version is answered in main.ts (before commander loads), so that subcommands
      // (marketplace-install) can own --version <v>.
      visibleOptions(cmd) {
        const opts = Help.prototype.visibleOptions.call(this, cmd);
        return cmd.parent ? opts : [new Option('-V, --version', 'print the pm version (also -v)'), ...opts];
      },
    });

  for (const group of commandGroups) {
    program.commandsGroup(group.heading);
    group.register(program);
  }
  for (const [alias, name] of Object.entries(ALIASES)) program.commands.find((c) => c.name() === name)?.alias(alias);
  return program;
}

/** Parses argv with commander and runs the command (main.ts has already answered --version). */
export async function run(argv: string[]): Promise<void> {
  const program = buildProgram();
  const joined = twoWordCommand(program, argv.slice(2));
  if (joined) {
    process.stderr.write(`error: unknown command '${joined.words.join(' ')}'\nhint: did you mean 'pm ${joined.command}'? pm's commands are one word joined by a dash\n`);
    process.exitCode = ExitCode.usage;
    return;
  }
  const asked = helpTopic(argv.slice(2));
  if (asked !== undefined && !program.commands.some((c) => c.name() === asked || c.aliases().includes(asked))) {
    const near = program.commands.map((c) => c.name()).filter((n) => n.includes(asked) || asked.includes(n));
    process.stderr.write(`error: pm help: unknown command '${asked}'\nhint: ${near.length ? `did you mean ${near.slice(0, 3).map((n) => `'pm help ${n}'`).join(' or ')}${near.length > 3 ? ' (or another of the ' + near.length + ' matches)' : ''}? ` : ''}'pm help' lists every command\n`);
    process.exitCode = ExitCode.usage;
    return;
  }
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
        process.exitCode = ExitCode.ok;
        return;
      }
      // Commander has already printed "error: …"; add where to look next.
      process.stderr.write("hint: run 'pm --help' or 'pm <command> --help' for usage\n");
      process.exitCode = ExitCode.usage;
      return;
    }
    throw err;
  }
}

/** `pm plugin list` for `pm plugin-list`: the first two words, when only their dashed join is a command. */
export function twoWordCommand(program: Command, args: string[]): { words: [string, string]; command: string } | undefined {
  const words = args.filter((a, k) => !a.startsWith('-') && args[k - 1] !== '--home');
  const [first, second] = words;
  if (first === undefined || second === undefined) return undefined;
  const known = (n: string) => program.commands.find((c) => c.name() === n || c.aliases().includes(n));
  if (known(first) || first === 'help') return undefined;
  const cmd = known(`${first}-${second}`);
  return cmd ? { words: [first, second], command: cmd.name() } : undefined;
}

/** The command named after `help` (`pm help plugin-list`), if any. */
function helpTopic(args: string[]): string | undefined {
  const words = args.filter((a, k) => !a.startsWith('-') && args[k - 1] !== '--home');
  return words[0] === 'help' ? words[1] : undefined;
}
