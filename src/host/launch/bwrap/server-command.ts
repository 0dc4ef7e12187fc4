/**
 * A server plugin's program under its policy (DESIGN §5): inside bubblewrap where it runs, else
 * unchanged only with the user's full-trust grant. spawn-command.ts calls this for every server.
 */
import { resolvePolicy, type PermissionPolicy } from '../../../core/permissions/policy.js';
import type { HostPlugin } from '../../manifest-types.js';
import { safePath } from './argv.js';
import { commandRuntime } from './runtime.js';
import { systemLayout } from './system-layout.js';
import { sandboxCommand, type Command } from './wrap.js';

/** Whom the program is for: the plugin and its real folders. */
export interface ServerSandboxContext {
  plugin: HostPlugin;
  pluginDir: string;
  dataDir: string;
  pmHome?: string;
}

/** The policy a server plugin runs under on this machine (the one plugin-info and plugin-permissions show). */
export function serverPolicy(ctx: ServerSandboxContext): PermissionPolicy {
  return resolvePolicy(ctx.plugin.manifest, { pluginDir: ctx.pluginDir, dataDir: ctx.dataDir, pmHome: ctx.pmHome }, ctx.plugin.fullTrust ? { fullTrust: ctx.plugin.fullTrust } : {});
}

/** The command that starts `file` (already resolved) for a server plugin; throws SERVER_UNSANDBOXED where it may not start. */
export function serverCommand(file: string, cmd: Omit<Command, 'file'>, ctx: ServerSandboxContext, policy = serverPolicy(ctx)): Command {
  if (policy.sandbox.layer !== 'bwrap') return sandboxCommand(policy, { file, ...cmd }, () => ({ command: file, runtime: [], path: [] }));
  const runtime = commandRuntime(file, cmd.env, systemLayout()) ?? { command: file, runtime: [], path: [] };
  // Inside, the home folder and pm's temp folders do not exist: HOME is its data folder, /tmp is private.
  const { TEMP: _temp, TMP: _tmp, ...rest } = cmd.env;
  const env = { ...rest, HOME: ctx.dataDir, TMPDIR: '/tmp', PATH: safePath(runtime.path) };
  return sandboxCommand(policy, { file, ...cmd, env }, () => runtime);
}
