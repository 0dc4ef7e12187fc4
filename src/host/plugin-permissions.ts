/**
 * `pm plugin-permissions <name>`: the effective policy of one installed plugin and the exact
 * command the launcher would run for it here (the bwrap argv), built by the launcher's own code.
 */
import { PmError } from '../core/errors.js';
import { realPathNearest } from '../core/fs/real-path.js';
import { describePolicy, type PermissionLine } from '../core/permissions/describe.js';
import type { PermissionPolicy } from '../core/permissions/policy.js';
import { referencedSecrets, substituteServerSpec } from '../core/server/substitute.js';
import { serverCommand, serverPolicy } from './launch/bwrap/server-command.js';
import type { Command } from './launch/bwrap/wrap.js';
import { moduleCommand } from './launch/node-launcher.js';
import { resolveCommand } from './launch/resolve-command.js';
import { runnerFiles } from './launch/runner-files.js';
import { loadHomePlugins } from './home-plugins.js';
import type { HostPlugin } from './manifest-types.js';
import { DEFAULT_SUPERVISOR_OPTIONS } from './process/options.js';
import { sandboxPolicy } from './sandbox.js';
import { serverEnv } from './server/server-env.js';

/** The documented --json shape of plugin-permissions. */
export interface PluginPermissions {
  name: string;
  kind: 'module' | 'server';
  policy: PermissionPolicy;
  permissions: PermissionLine[];
  /** What the launcher would run, environment values hidden; or why it would not start. */
  launch: { file: string; argv: string[]; cwd: string } | { refused: { code: string; message: string } };
}

/** Environment names whose values are shown: pm sets them and they hold no secrets. */
const SHOWN = new Set(['PATH', 'HOME', 'TMPDIR', 'PM_PLUGIN_DIR', 'PM_DATA_DIR']);

/** `--setenv NAME VALUE` with the value hidden unless pm set it: a declared variable or a secret may hold a credential. */
function hideValues(argv: string[]): string[] {
  return argv.map((a, i) => (i >= 2 && argv[i - 2] === '--setenv' && !SHOWN.has(argv[i - 1]!) ? '<value not shown>' : a));
}

async function commandFor(hp: HostPlugin, home: string): Promise<{ policy: PermissionPolicy; command: () => Promise<Command> }> {
  const dirs = { plugin: realPathNearest(hp.dir), data: realPathNearest(hp.dataDir) };
  if (hp.kind === 'server' && hp.manifest.server) {
    const ctx = { plugin: hp, pluginDir: dirs.plugin, dataDir: dirs.data, pmHome: home };
    const policy = serverPolicy(ctx);
    return {
      policy,
      command: async () => {
        // Placeholders, never the values: this command's output may be pasted anywhere.
        const secrets = Object.fromEntries(referencedSecrets(hp.manifest.server!).map((n) => [n, `<secret ${n}>`]));
        const cmd = substituteServerSpec(hp.manifest.server!, { pluginDir: dirs.plugin, dataDir: dirs.data, config: hp.config ?? {}, secrets, plugin: hp.name });
        const env = serverEnv({ host: process.env, declared: hp.manifest.permissions?.env ?? [], server: cmd.env, pluginDir: dirs.plugin, dataDir: dirs.data });
        const file = await resolveCommand(cmd.command, { cwd: cmd.cwd, path: env.PATH });
        return serverCommand(file, { args: cmd.args, env, cwd: cmd.cwd }, ctx, policy);
      },
    };
  }
  const { runner, files } = runnerFiles();
  const spec = { plugin: hp, memoryMb: DEFAULT_SUPERVISOR_OPTIONS.memoryMb, pmHome: home, env: process.env };
  const policy = sandboxPolicy(hp.manifest, { pluginDir: dirs.plugin, dataDir: dirs.data, pmHome: home, runnerFiles: files }, { defaultMemoryMb: spec.memoryMb });
  return { policy, command: async () => moduleCommand(spec, dirs, runner, files) };
}

/** The effective policy of installed plugin `name` and the command its launcher would run. */
export async function pluginPermissions(name: string, opts: { home: string }): Promise<PluginPermissions> {
  const hp = (await loadHomePlugins(opts.home)).find((p) => p.name === name);
  if (!hp) throw new PmError('NOT_INSTALLED', `${name} is not installed`, { hint: "see what is installed with 'pm plugin-list'", data: { plugin: name } });
  const { policy, command } = await commandFor(hp, opts.home);
  let launch: PluginPermissions['launch'];
  try {
    const c = await command();
    launch = { file: c.file, argv: hideValues(c.args), cwd: c.cwd };
  } catch (err) {
    const e = err as PmError;
    launch = { refused: { code: e.code ?? 'PLUGIN_START_FAILED', message: e.message } };
  }
  return { name, kind: policy.kind, policy, permissions: describePolicy(policy), launch };
}
