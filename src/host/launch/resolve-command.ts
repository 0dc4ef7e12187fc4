/**
 * Finds the program a server plugin names before it is spawned, so a missing one is a clear
 * PmError naming it rather than a bare ENOENT from the spawn.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { PmError } from '../../core/errors.js';

async function executable(path: string): Promise<'yes' | 'missing' | 'not-executable'> {
  try {
    if (!(await stat(path)).isFile()) return 'not-executable';
  } catch {
    return 'missing';
  }
  try {
    await access(path, constants.X_OK);
    return 'yes';
  } catch {
    return 'not-executable';
  }
}

/** The absolute path of `command`: a path (with a slash) relative to `cwd`, or a bare name looked up on `path` (the PATH the program gets); `node` not on it is the Node running pm. */
export async function resolveCommand(command: string, opts: { cwd: string; path?: string }): Promise<string> {
  if (command.includes('/') || isAbsolute(command)) {
    const full = resolve(opts.cwd, command);
    const found = await executable(full);
    if (found === 'yes') return full;
    if (found === 'missing') {
      throw new PmError('SERVER_COMMAND_NOT_FOUND', `the server command ${full} does not exist`, {
        hint: 'fix server.command in plugin.json (a file in the plugin folder is written ${pluginDir}/path)', data: { command: full },
      });
    }
    throw new PmError('SERVER_COMMAND_NOT_EXECUTABLE', `the server command ${full} is not an executable file`, {
      hint: `make it executable (chmod +x ${full}), or give its interpreter as server.command`, data: { command: full },
    });
  }
  const dirs = (opts.path ?? '').split(delimiter).filter((d) => d && isAbsolute(d));
  for (const dir of dirs) {
    const full = join(dir, command);
    if ((await executable(full)) === 'yes') return full;
  }
  // GUI clients (Claude Desktop on macOS) start pm with a PATH that has no node: the Node running pm is one.
  if (command === 'node' || command === process.release.name) return process.execPath;
  throw new PmError('SERVER_COMMAND_NOT_FOUND', `the server command "${command}" is not on PATH`, {
    hint: `install ${command}, or give its full path in server.command (PATH searched: ${dirs.join(delimiter) || 'empty'})`,
    data: { command },
  });
}
