import { access, constants, lstat } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { pluginDirPaths, serverFields } from '../manifest/server-paths.js';
import type { PluginCheckContext } from './types.js';

const PLACEHOLDER = /\$\{([^}]*)\}/g;

/** Whether `name` is an executable file in a folder of PATH (where spawn would find it). */
async function onPath(name: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const file = join(dir, name);
    const st = await lstat(file).catch(() => undefined);
    if (st && !st.isDirectory() && (await access(file, constants.X_OK).then(() => true, () => false))) return true;
  }
  return false;
}

/** The substitutions the server block uses are the four pm does (DESIGN §2), and `${config.KEY}` names a configured key. */
function checkPlaceholders(ctx: PluginCheckContext): void {
  const m = ctx.manifest!;
  const props = (m.config as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  for (const f of serverFields(m.server)) {
    for (const [whole, name] of f.text.matchAll(PLACEHOLDER)) {
      if (name === 'pluginDir' || name === 'dataDir' || /^secret\.[A-Za-z_][A-Za-z0-9_]*$/.test(name!)) continue;
      if (name!.startsWith('config.') && name!.length > 'config.'.length) {
        const key = name!.slice('config.'.length);
        if (!Object.hasOwn(props, key)) {
          ctx.findings.warn('SERVER_CONFIG_UNDECLARED', `uses ${whole}, but "config" declares no property "${key}"`, {
            where: f.where, hint: `declare it in config.properties (with a default, or users must set it with pm plugin-config <name> ${key} <value>)`,
          });
        }
        continue;
      }
      ctx.findings.error('SERVER_SUBSTITUTION_UNKNOWN', `uses ${whole}, which pm does not substitute`, {
        where: f.where, hint: 'only ${pluginDir}, ${dataDir}, ${config.KEY} and ${secret.NAME} are substituted (no shell, no environment variables)',
      });
    }
  }
}

/** Every `${pluginDir}/…` path is inside the folder and exists; a `${pluginDir}` command is an executable file. */
async function checkFiles(ctx: PluginCheckContext): Promise<void> {
  const { findings } = ctx;
  for (const ref of pluginDirPaths(ctx.manifest!.server)) {
    if (ref.path.split('/').includes('..')) {
      findings.error('SERVER_FILE_OUTSIDE', `\${pluginDir}/${ref.path} is outside the plugin folder`, { where: ref.where, hint: 'ship what the server needs inside the plugin folder and refer to it as ${pluginDir}/<path>' });
      continue;
    }
    const file = resolve(ctx.dir, ref.path);
    const st = await lstat(file).catch(() => undefined);
    if (!st) {
      findings.error('SERVER_FILE_MISSING', `\${pluginDir}/${ref.path} does not exist in the plugin folder`, { where: ref.where, hint: `create ${ref.path}, or fix the path (it is relative to the folder holding plugin.json)` });
      continue;
    }
    const isCommand = ref.where === 'server.command';
    if (isCommand && process.platform !== 'win32' && !(st.isFile() && (st.mode & 0o111) !== 0)) {
      findings.error('SERVER_COMMAND_NOT_EXECUTABLE', `\${pluginDir}/${ref.path} is not an executable file`, { where: ref.where, hint: `chmod +x ${ref.path} (the package keeps the executable bit), or run it with an interpreter: "command": "python3", "args": ["\${pluginDir}/${ref.path}"]` });
    }
  }
}

/** How the command is found: on PATH, as `${pluginDir}/…`, or an absolute path (this machine only). */
async function checkCommand(ctx: PluginCheckContext): Promise<void> {
  const command = (ctx.manifest!.server as { command?: unknown }).command;
  if (typeof command !== 'string' || command === '' || command.includes('${')) return;
  const where = 'server.command';
  if (isAbsolute(command)) {
    ctx.findings.warn('SERVER_COMMAND_ABSOLUTE', `${JSON.stringify(command)} is an absolute path, which exists only on machines laid out like this one`, { where, hint: 'ship the program in the folder (${pluginDir}/bin/…) or name a program on PATH (e.g. python3)' });
  } else if (/[\\/]/.test(command)) {
    ctx.findings.error('SERVER_COMMAND_RELATIVE', `${JSON.stringify(command)} is a relative path, whose meaning depends on the working folder`, { where, hint: `write "\${pluginDir}/${command.replace(/^\.\//, '')}"` });
  } else if (process.platform !== 'win32' && !(await onPath(command))) {
    ctx.findings.warn('SERVER_COMMAND_NOT_FOUND', `${JSON.stringify(command)} is not on this machine's PATH`, { where, hint: `install ${command}, or the server will not start here (users need it too: say so in the README)` });
  }
}

/**
 * A server plugin's `server` block (DESIGN §2): substitutions pm knows, the files it names
 * in the folder, and a command that can be found. Its tools are compared with the running
 * server by checkServerTools; there is no entry to load.
 */
export async function checkServer(ctx: PluginCheckContext): Promise<void> {
  const spec = ctx.manifest?.server;
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return; // the schema reports a mistyped server
  checkPlaceholders(ctx);
  await checkFiles(ctx);
  await checkCommand(ctx);
}
