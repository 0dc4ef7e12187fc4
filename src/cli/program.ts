import { Command, CommanderError, Help, Option } from 'commander';
import { ExitCode } from '../core/errors.js';
import { commandGroups } from './commands/index.js';

const EXAMPLES = `
Examples:
  $ pm plugin-create notes --type tool --yes      scaffold a plugin without questions
  $ pm plugin-test ./notes                        validate it and run its tests on the real host
  $ pm plugin-package ./notes && pm plugin-sign notes-0.1.0.tgz
  $ pm marketplace-add acme https://plugins.acme.example/ --key acme.asc
  $ pm marketplace-install notes                  verified install, with dependencies
  $ pm serve --mcp                                one MCP server for your AI client
  $ pm doctor                                     check this machine and PM_HOME

Global flags go anywhere on the line. Exit codes: 0 ok, 1 failure, 2 usage,
3 validation failed, 4 verification failed. Docs: README.md and docs/.`;

/** Builds the commander program with every built command registered (actions load lazily). */
export function buildProgram(): Command {
  const program = new Command('pm')
    .description('Plugin manager and local MCP plugin host for AI tooling')
    .option('--home <dir>', 'PM_HOME folder (default: $PM_HOME or ~/.pm)')
    .option('--json', 'machine-readable output on stdout')
    .option('--verbose', 'more detail, and stack traces on errors')
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .helpOption('-h, --help', 'show help')
    .helpCommand(false)
    .showSuggestionAfterError(true)
    .exitOverride()
    .addHelpText('after', EXAMPLES)
    .configureHelp({
      // --version is answered in main.ts (before commander loads), so that subcommands
      // (marketplace-install) can own --version <v>.
      visibleOptions(cmd) {
        const opts = Help.prototype.visibleOptions.call(this, cmd);
        return cmd.parent ? opts : [new Option('-V, --version', 'print the pm version'), ...opts];
      },
    });

  for (const group of commandGroups) {
    program.commandsGroup(group.heading);
    group.register(program);
  }
  return program;
}

/** Parses argv with commander and runs the command (main.ts has already answered --version). */
export async function run(argv: string[]): Promise<void> {
  const program = buildProgram();
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
