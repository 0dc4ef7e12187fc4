/**
 * The one place a plugin's command is put inside bubblewrap: the module-plugin launcher and
 * the server-plugin spawn both call `sandboxCommand` with the policy they enforce.
 */
import { PmError } from '../../../core/errors.js';
import type { PermissionPolicy } from '../../../core/permissions/policy.js';
import { detectOsSandbox } from '../../../core/runtime/os-sandbox.js';
import { bwrapArgv } from './argv.js';
import type { ResolvedRuntime } from './runtime.js';
import { systemLayout } from './system-layout.js';

/** A program to start: the file, its arguments, its whole environment and working folder. */
export interface Command {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

/**
 * The command that starts `cmd` under `policy`'s layer: inside bwrap for layer 'bwrap', else
 * unchanged (`runtimeOf` resolves the program's interpreter, only when needed). Throws when the policy says the process may not start here.
 */
export function sandboxCommand(policy: PermissionPolicy, cmd: Command, runtimeOf: () => ResolvedRuntime): Command {
  if (!policy.sandbox.startable) {
    throw new PmError(policy.kind === 'server' ? 'SERVER_UNSANDBOXED' : 'SANDBOX_UNAVAILABLE', `${policy.plugin} cannot start: ${policy.sandbox.reason}`, {
      hint: policy.kind === 'server' ? `${policy.sandbox.hint ? `${policy.sandbox.hint}; or, ` : ''}if you trust it with all your rights: pm plugin-trust ${policy.plugin} --full` : policy.sandbox.hint,
      data: { plugin: policy.plugin, layer: policy.sandbox.layer },
    });
  }
  const [refused] = policy.fs.refused;
  if (refused) {
    throw new PmError('PERMISSION_PATH_REFUSED', `${policy.plugin}: permission path "${refused.declared}" ${refused.reason}`, {
      hint: refused.hint, data: { plugin: policy.plugin, permission: refused.permission, path: refused.declared },
    });
  }
  if (policy.sandbox.layer !== 'bwrap') return cmd;
  const facts = detectOsSandbox();
  if (!facts.bwrap) throw new PmError('SANDBOX_UNAVAILABLE', `${policy.plugin} cannot start: bwrap is gone`, { data: { plugin: policy.plugin } });
  const runtime = runtimeOf();
  const args = bwrapArgv({
    policy, command: runtime.command, args: cmd.args, runtime: runtime.runtime,
    env: cmd.env, cwd: cmd.cwd, layout: systemLayout(), ...(facts.prlimit ? { prlimit: facts.prlimit } : {}),
  });
  // bwrap gets no environment of its own: --setenv gives the process its variables.
  return { file: facts.bwrap, args, env: {}, cwd: cmd.cwd };
}
