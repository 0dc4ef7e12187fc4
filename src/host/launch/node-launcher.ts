/**
 * The launcher of module plugins: a Node process under Node's permission model (sandbox.ts
 * computes the flags), inside bubblewrap where it runs (bwrap/wrap.ts), speaking
 * newline-delimited JSON on fd 3, which bwrap passes through.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, realpath } from 'node:fs/promises';
import { PmError } from '../../core/errors.js';
import type { Duplex } from 'node:stream';
import { LineTransport } from '../line-channel.js';
import { policyEnv, policyExecArgv, sandboxPolicy } from '../sandbox.js';
import { nodeRuntime } from './bwrap/runtime.js';
import { systemLayout } from './bwrap/system-layout.js';
import { sandboxCommand, type Command } from './bwrap/wrap.js';
import type { LaunchedProcess, Launcher, LaunchSpec, ProcessExit } from './launcher.js';
import { runnerFiles } from './runner-files.js';

/** The command that starts one plugin's runner: the only call into the sandbox rules. */
export function moduleCommand(spec: LaunchSpec, dirs: { plugin: string; data: string }, runner: string, files: string[]): Command {
  const { manifest } = spec.plugin;
  // One policy object for the Node flags and the bwrap argv, the same one plugin-info describes.
  const policy = sandboxPolicy(manifest, { pluginDir: dirs.plugin, dataDir: dirs.data, pmHome: spec.pmHome, runnerFiles: files }, { defaultMemoryMb: spec.memoryMb });
  const cmd = { file: process.execPath, args: [...policyExecArgv(policy), runner], env: policyEnv(policy, spec.env), cwd: dirs.data };
  return sandboxCommand(policy, cmd, () => nodeRuntime(process.execPath, systemLayout()));
}

class NodeProcess implements LaunchedProcess {
  readonly channel: LineTransport;
  readonly exited: Promise<ProcessExit>;

  constructor(private readonly child: ChildProcess, readonly dirs: { plugin: string; data: string }) {
    this.channel = new LineTransport(child.stdio[3] as Duplex);
    this.exited = new Promise((r) => {
      child.once('exit', (code, signal) => r({ code, signal }));
      // A process that could not be spawned at all never emits 'exit'.
      child.once('error', () => { if (child.pid === undefined) r({ code: null, signal: null }); });
    });
  }

  get pid(): number | undefined { return this.child.pid; }
  get stdout() { return this.child.stdout; }
  get stderr() { return this.child.stderr; }
  get hasExited(): boolean { return this.child.exitCode !== null || this.child.signalCode !== null; }

  kill(): void {
    if (!this.hasExited) this.child.kill('SIGKILL');
  }
}

/** Starts module plugins as sandboxed Node processes running the pm runner. */
export const nodeLauncher: Launcher = {
  async launch(spec: LaunchSpec): Promise<LaunchedProcess> {
    const hp = spec.plugin;
    try {
      await mkdir(hp.dataDir, { recursive: true });
      const dirs = { plugin: await realpath(hp.dir), data: await realpath(hp.dataDir) };
      const { runner, files } = runnerFiles();
      const cmd = moduleCommand(spec, dirs, runner, files);
      // fd 3 is the channel (line-channel.ts); no Node IPC channel, whose parser a plugin could crash.
      const child = spawn(cmd.file, cmd.args, { env: cmd.env, cwd: cmd.cwd, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
      return new NodeProcess(child, dirs);
    } catch (err) {
      throw err instanceof PmError ? err : new PmError('PLUGIN_START_FAILED', `plugin ${hp.name} could not be started: ${(err as Error).message}`, { data: { plugin: hp.name } });
    }
  },
};
