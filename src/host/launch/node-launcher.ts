/**
 * The launcher every plugin uses today: a Node process under Node's permission model
 * (sandbox.ts computes the flags). An OS-sandbox launcher (bubblewrap) will sit beside it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdir, realpath } from 'node:fs/promises';
import { PmError } from '../../core/errors.js';
import { ChildProcessTransport } from '../ipc.js';
import { policyEnv, policyExecArgv, sandboxPolicy } from '../sandbox.js';
import type { LaunchedProcess, Launcher, LaunchSpec, ProcessExit } from './launcher.js';
import { runnerFiles } from './runner-files.js';

/** The Node flags and environment of one plugin's process: the only call into the sandbox rules. */
function sandboxFor(spec: LaunchSpec, dirs: { plugin: string; data: string }, files: string[]): { execArgv: string[]; env: Record<string, string> } {
  const { manifest } = spec.plugin;
  // One policy object for both, the same one plugin-info describes.
  const policy = sandboxPolicy(manifest, { pluginDir: dirs.plugin, dataDir: dirs.data, pmHome: spec.pmHome, runnerFiles: files }, { defaultMemoryMb: spec.memoryMb });
  return { execArgv: policyExecArgv(policy), env: policyEnv(policy, spec.env) };
}

class NodeProcess implements LaunchedProcess {
  readonly channel: ChildProcessTransport;
  readonly exited: Promise<ProcessExit>;

  constructor(private readonly child: ChildProcess, readonly dirs: { plugin: string; data: string }) {
    this.channel = new ChildProcessTransport(child);
    this.exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
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
      const { execArgv, env } = sandboxFor(spec, dirs, files);
      const child = fork(runner, [], { execArgv, env, cwd: dirs.data, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'json' });
      return new NodeProcess(child, dirs);
    } catch (err) {
      throw err instanceof PmError ? err : new PmError('PLUGIN_START_FAILED', `plugin ${hp.name} could not be started: ${(err as Error).message}`, { data: { plugin: hp.name } });
    }
  },
};
