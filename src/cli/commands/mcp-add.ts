import type { Command } from 'commander';
import { action } from '../action.js';
import { consentOptions, serverFlagOptions, type ServerFlagValues } from '../server-consent.js';
import { serverInstallLines } from './plugin-install.js';
import { showRefusedReport } from './plugin-package.js';
import { PmError } from '../../core/errors.js';

/** Registers mcp-add. */
export function register(program: Command): void {
  const cmd = program
    .command('mcp-add')
    .description('register an MCP server you already have (a program, a script, docker run -i …) as a server plugin')
    .argument('<name>', 'the plugin name (lower-case letters, digits and dashes)')
    .argument('[command...]', 'after --: the command that starts the server on stdio, and its arguments')
    .option('--disabled', 'add it without enabling it');
  serverFlagOptions(cmd)
    .addHelpText('after', `
Examples:
  $ pm mcp-add weather --yes -- python3 ./weather.py --units metric
  $ pm mcp-add gh --env 'GITHUB_TOKEN=\${secret.GITHUB_TOKEN}' --allow-net api.github.com --yes -- docker run -i --rm ghcr.io/github/github-mcp-server

The plugin is unsigned and marked local; a relative command and ./ or ../ arguments are made absolute.
Put pm's own flags before --: everything after it is the server's command line.`)
    .action(action(async ({ out, home }, name: string, argv: string[], o: ServerFlagValues & { disabled?: boolean }) => {
      // Without --, the server's own flags would be read as pm's; ask for it even when it would parse.
      if (!process.argv.includes('--')) {
        throw new PmError('SERVER_COMMAND_MISSING', `mcp-add ${name}: the server's command must follow --`, { hint: `write pm mcp-add ${name} [flags] -- <command> [args…]`, data: { name } });
      }
      const { addLocalServer } = await import('../../core/sources/mcp-add.js');
      const r = await addLocalServer(name, argv, { home, enable: !o.disabled, ...consentOptions(out, o) }).catch((err: unknown) => {
        showRefusedReport(out, err);
        throw err;
      });
      out.result(r, () => serverInstallLines(out, r));
    }));
}
