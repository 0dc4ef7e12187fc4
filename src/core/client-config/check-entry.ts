import { accessSync, closeSync, constants, existsSync, openSync, readSync, statSync } from 'node:fs';
import { basename, delimiter, isAbsolute, join } from 'node:path';
import type { ClientKind } from './locations.js';

/** What a GUI client (Claude Desktop, Cursor) started from the dock typically has as PATH. */
export const GUI_PATH = ['/usr/bin', '/bin', '/usr/sbin', '/sbin'];

/** The PATH assumed for GUI clients: PM_GUI_PATH when set (an unusual desktop, or a test), else GUI_PATH. */
export function guiPath(env: NodeJS.ProcessEnv = process.env): string[] {
  return env.PM_GUI_PATH !== undefined ? env.PM_GUI_PATH.split(delimiter).filter(Boolean) : GUI_PATH;
}

export interface EntryProblem {
  severity: 'fail' | 'warn';
  message: string;
  hint: string;
}

function onPath(command: string, dirs: string[]): string | undefined {
  for (const dir of dirs) {
    const p = join(dir, command);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch { /* next */ }
  }
  return undefined;
}

function envShebang(file: string): string | undefined {
  try {
    // Read only the first line's worth: `command` is often the node binary itself.
    const fd = openSync(file, 'r');
    const buf = Buffer.alloc(200);
    const n = readSync(fd, buf, 0, 200, 0);
    closeSync(fd);
    const head = buf.subarray(0, n).toString('utf8');
    return /^#!\s*\/usr\/bin\/env\s+(?:-S\s+)?(\S+)/.exec(head)?.[1];
  } catch {
    return undefined;
  }
}

/** True when a config entry looks like one that starts pm. */
export function looksLikePm(name: string, entry: { command?: unknown; args?: unknown }): boolean {
  const words = [entry.command, ...(Array.isArray(entry.args) ? entry.args : [])].filter((w): w is string => typeof w === 'string');
  return name === 'pm' || words.some((w) => /(^|[\\/])pm(\.js)?$/.test(w) || /pmkit/.test(w));
}

/**
 * Why an `mcpServers` entry for pm would not start when `client` spawns it, if it would not.
 * GUI clients get the minimal PATH of the desktop; Claude Code inherits the shell's PATH.
 */
export function entryProblems(
  entry: { command?: unknown; args?: unknown; env?: unknown },
  client: ClientKind,
  paths: { shell?: string; gui?: string[] } = {},
): EntryProblem[] {
  const shellPath = paths.shell ?? process.env.PATH ?? '';
  const gui = paths.gui ?? guiPath();
  const problems: EntryProblem[] = [];
  const fix = client === 'unknown'
    ? "replace the entry with the one `pm doctor` prints (absolute node, then the absolute bin/pm.js, and PM_HOME)"
    : `replace the entry with the one \`pm doctor\` prints (absolute node, then the absolute bin/pm.js, and PM_HOME), or run pm client-setup ${client}`;
  const path = client === 'claude-code' ? shellPath.split(delimiter).filter(Boolean) : gui;
  const where = client === 'claude-code' ? 'on your PATH' : `on a GUI client's PATH (${gui.join(delimiter)})`;
  if (typeof entry.command !== 'string' || entry.command === '') {
    return [{ severity: 'fail', message: 'has no "command"', hint: fix }];
  }
  const args = Array.isArray(entry.args) ? entry.args.filter((a): a is string => typeof a === 'string') : [];
  let command = entry.command;
  if (!isAbsolute(command)) {
    const found = onPath(command, path);
    if (!found) return [{ severity: 'fail', message: `"command": "${command}" is not ${where}, so the client fails with spawn ${command} ENOENT`, hint: fix }];
    command = found;
  } else if (!existsSync(command) || !statSync(command).isFile()) {
    return [{ severity: 'fail', message: `"command": ${command} does not exist`, hint: fix }];
  }
  const interpreter = envShebang(command);
  if (interpreter && !onPath(interpreter, path)) {
    problems.push({ severity: 'fail', message: `${command} starts with "#!/usr/bin/env ${interpreter}" and ${interpreter} is not ${where} (nvm and Homebrew installs are not)`, hint: fix });
  }
  if (/^node(\.exe)?$/.test(basename(command))) {
    const script = args[0];
    if (script === undefined || !existsSync(script)) problems.push({ severity: 'fail', message: `node would run ${script === undefined ? 'no script' : `${script}, which does not exist`}`, hint: fix });
  }
  if (!args.includes('serve') || !args.includes('--mcp')) {
    problems.push({ severity: 'fail', message: `the arguments lack "serve" and "--mcp": pm would print its help and exit`, hint: fix });
  }
  const env = (entry.env ?? {}) as Record<string, unknown>;
  if (typeof env.PM_HOME !== 'string' && !args.includes('--home')) {
    problems.push({ severity: 'warn', message: 'sets no PM_HOME, so it serves ~/.pm of whatever user the client runs as', hint: 'add "env": { "PM_HOME": "<your PM_HOME>" } to the entry' });
  }
  return problems;
}
