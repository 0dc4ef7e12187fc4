import { isAbsolute, resolve } from 'node:path';
import { PmError } from '../errors.js';
import { shellCommand } from '../shell-quote.js';
import { PLUGIN_NAME } from '../store/paths.js';
import { installServerFolder, withStagingFolder, type ServerInstallResult, type StageServerOptions } from './stage-server.js';

/** The version mcp-add records: a local command has no version of its own. */
export const LOCAL_VERSION = '0.0.0';

/** A relative path (`./x`, `../x`, `bin/x`) made absolute, since the server does not run in the folder mcp-add was run in. */
function absolutePath(word: string, cwd: string): string {
  return !isAbsolute(word) && (/^\.\.?\//.test(word) || word.includes('/')) ? resolve(cwd, word) : word;
}

/**
 * `pm mcp-add <name> -- <command> [args…]`: registers a program the user already has as a
 * server plugin in the store (unsigned, source `local`), through the same staging, consent
 * and folder install as npm: and pypi:. A relative command and `./`/`../` arguments are made absolute.
 */
export async function addLocalServer(name: string, argv: string[], opts: StageServerOptions & { cwd?: string }): Promise<ServerInstallResult> {
  if (!PLUGIN_NAME.test(name)) {
    throw new PmError('SERVER_NAME_INVALID', `"${name}" is not a plugin name`, {
      hint: 'plugin names are lower-case letters, digits and dashes, start with a letter, and are at most 50 characters', data: { name },
    });
  }
  if (!argv.length || !argv[0]!.trim()) {
    throw new PmError('SERVER_COMMAND_MISSING', `mcp-add ${name}: no command after --`, { hint: `put the command after --, e.g. pm mcp-add ${name} -- python3 server.py`, data: { name } });
  }
  const cwd = opts.cwd ?? process.cwd();
  const [command, ...args] = [absolutePath(argv[0]!, cwd), ...argv.slice(1).map((a) => (/^\.\.?\//.test(a) ? resolve(cwd, a) : a))];
  return withStagingFolder((dir) => installServerFolder(dir, {
    server: { command: command!, ...(args.length ? { args } : {}) },
    source: { type: 'local', spec: shellCommand([command!, ...args]) },
    facts: { packageName: name, version: LOCAL_VERSION, description: `Local MCP server: ${shellCommand([command!, ...args])}`.slice(0, 200) },
  }, { ...opts, name, refuseTaken: true }));
}
