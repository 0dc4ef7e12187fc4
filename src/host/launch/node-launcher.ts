/**
 * The launcher every plugin uses today: a Node process under Node's permission model
 * (sandbox.ts computes the flags), speaking
 * newline-delimited JSON on fd 3. An OS-sandbox launcher (bubblewrap) will sit beside it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, realpath } from 'node:fs/promises';
import { PmError } from '../../core/errors.js';
import type { Duplex } from 'node:stream';
import { LineTransport } from '../line-channel.js';
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
      const { execArgv, env } = sandboxFor(spec, dirs, files);
      // fd 3 is the channel (line-channel.ts); no Node IPC channel, whose parser a plugin could crash.
      const child = spawn(process.execPath, [...execArgv, runner], { env, cwd: dirs.data, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
      return new NodeProcess(child, dirs);
    } catch (err) {
      throw err instanceof PmError ? err : new PmError('PLUGIN_START_FAILED', `plugin ${hp.name} could not be started: ${(err as Error).message}`, { data: { plugin: hp.name } });
    }
  },
};
