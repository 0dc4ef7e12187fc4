/**
 * One sandboxed Node process per active plugin (DESIGN §5): lazy start, activate,
 * health check, per-call timeout (kill, restart on next use), crash restart with backoff,
 * "failed" after repeated crashes, idle stop, graceful deactivate then kill.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, realpath } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PmError } from '../core/errors.js';
import { ChildProcessTransport, IpcCode, IpcError, RpcPeer, type HookBatchResult } from './ipc.js';
import type { HookBatchParams, RemoteHookTarget } from './hooks/dispatcher.js';
import type { HostPlugin } from './manifest-types.js';
import { Counters, Histogram } from './metrics.js';
import { DEFAULT_MEMORY_MB, sandboxEnv, sandboxExecArgv } from './sandbox.js';

export type PluginState = 'idle' | 'starting' | 'running' | 'stopping' | 'failed';

export interface SupervisorOptions {
  /** Per-call timeout when the tool gives none (default 30 s). */
  callTimeoutMs: number;
  /** Time allowed to load the entry and run activate() (default 10 s). */
  startTimeoutMs: number;
  /** Stop a plugin after this long without calls; 0 never (default 5 min). */
  idleTimeoutMs: number;
  /** Time deactivate() and the exit get before the process is killed (default 2 s). */
  graceMs: number;
  /** Crashes within crashWindowMs after which the plugin is marked failed (default 3 in 60 s). */
  maxCrashes: number;
  crashWindowMs: number;
  /** First restart delay after a crash, doubled per recent crash up to backoffMaxMs. */
  backoffMs: number;
  backoffMaxMs: number;
  /** Ask healthCheck() this often while running; a failed or late answer restarts the plugin. 0: only after activate (default). */
  healthIntervalMs: number;
  /** Requests to one plugin waiting at once; more are refused (default 64). */
  maxInFlight: number;
  /** Heap cap when the manifest gives none (MiB). */
  memoryMb: number;
  /** PM_HOME, so declared paths into it can be refused. */
  pmHome?: string;
  /** Where declared environment variables are taken from (default process.env). */
  env: NodeJS.ProcessEnv;
}

export const DEFAULT_SUPERVISOR_OPTIONS: SupervisorOptions = {
  callTimeoutMs: 30_000,
  startTimeoutMs: 10_000,
  idleTimeoutMs: 300_000,
  graceMs: 2000,
  maxCrashes: 3,
  crashWindowMs: 60_000,
  backoffMs: 100,
  backoffMaxMs: 5000,
  healthIntervalMs: 0,
  maxInFlight: 64,
  memoryMb: DEFAULT_MEMORY_MB,
  env: process.env,
};

/** What the supervisor needs from the host: routing of plugin-to-plugin calls, events and logs. */
export interface SupervisorHostApi {
  callTool(caller: string, name: string, args: unknown): Promise<unknown>;
  emit(caller: string, event: string, value: unknown): Promise<void>;
  log(plugin: string, level: string, message: string): void;
}

export interface Implemented {
  tools: string[];
  resources: string[];
  hooks: string[];
  lifecycle: string[];
}

export interface CallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: { progress: number; total?: number; message?: string }) => void;
}

export interface PluginProcessStats {
  name: string;
  state: PluginState;
  pid?: number;
  starts: number;
  crashes: number;
  counters: Record<string, number>;
  latency: ReturnType<Histogram['summary']>;
  lastError?: string;
}

/** The runner and the files it imports: the only pm files a plugin process may read. */
export function runnerFiles(): { runner: string; files: string[] } {
  let dir = dirname(fileURLToPath(import.meta.url));
  // Under vitest this module runs from src/; the runner always runs built.
  if (!existsSync(join(dir, 'runner.js'))) dir = resolve(dir, '../../dist/host');
  const runner = join(dir, 'runner.js');
  if (!existsSync(runner)) {
    throw new PmError('RUNNER_MISSING', `the plugin runner ${runner} is missing`, { hint: 'run npm run build' });
  }
  const real = (p: string) => realpathSync(p);
  return { runner: real(runner), files: [real(runner), real(join(dir, 'ipc.js')), real(join(dir, 'hooks', 'rules.js'))] };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** A bound for a race: unref'd, so a process that is done never waits for it to run out. */
const bound = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** Splits a stream into lines and hands each to `fn`. */
function lines(stream: NodeJS.ReadableStream | null, fn: (line: string) => void): void {
  if (!stream) return;
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buf += chunk;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      fn(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
    if (buf.length > 8192) { fn(buf); buf = ''; }
  });
  stream.on('end', () => { if (buf) fn(buf); });
}

/** Supervises one plugin's process. */
export class PluginProcess implements RemoteHookTarget {
  state: PluginState = 'idle';
  readonly plugin: string;
  private child?: ChildProcess;
  private peer?: RpcPeer;
  private starting?: Promise<RpcPeer>;
  private exited?: Promise<void>;
  private crashTimes: number[] = [];
  private nextStartAt = 0;
  private idleTimer?: ReturnType<typeof setTimeout>;
  /** performance.now() at the end of the last call (the idle stop counts from it). */
  private lastUsed = 0;
  private killReason?: string;
  private stderrTail = '';
  private lastError?: string;
  private exitError?: PmError;
  private starts = 0;
  private crashCount = 0;
  private implemented?: Implemented;
  private readonly progress = new Map<number, NonNullable<CallOptions['onProgress']>>();
  readonly counters = new Counters<'calls' | 'errors' | 'timeouts' | 'cancelled'>();
  readonly latency = new Histogram();

  constructor(readonly hp: HostPlugin, private readonly opts: SupervisorOptions, private readonly api: SupervisorHostApi) {
    this.plugin = hp.name;
  }

  /** Calls tool `tool` (the name inside the plugin) with its arguments. */
  callTool(tool: string, args: unknown, options: CallOptions = {}): Promise<unknown> {
    return this.request('tool', { name: tool, args }, `tool ${this.plugin}.${tool}`, options);
  }

  /** Reads a resource through the handler registered for `template`. */
  readResource(template: string, uri: string, params: Record<string, string>, options: CallOptions = {}): Promise<unknown> {
    return this.request('resource', { template, uri, params }, `resource ${uri}`, options);
  }

  /** Runs a run of this plugin's handlers for one event in one round trip (RemoteHookTarget). */
  invokeHooks(params: HookBatchParams, timeoutMs: number): Promise<HookBatchResult> {
    return this.request('hooks', params, `hook ${params.event}`, { timeoutMs }) as Promise<HookBatchResult>;
  }

  /** Asks the plugin's healthCheck() (starting it if needed). */
  async health(): Promise<{ ok: boolean; detail?: string }> {
    return (await this.request('health', {}, 'healthCheck', { timeoutMs: this.opts.startTimeoutMs })) as { ok: boolean; detail?: string };
  }

  /** What the entry implements (after the first start). */
  get implementedNames(): Implemented | undefined {
    return this.implemented;
  }

  /** Clears a failed mark so the next use starts the plugin again. */
  reset(): void {
    if (this.state === 'failed') this.state = 'idle';
    this.crashTimes = [];
    this.nextStartAt = 0;
  }

  stats(): PluginProcessStats {
    return {
      name: this.plugin, state: this.state, ...(this.child?.pid && this.state === 'running' ? { pid: this.child.pid } : {}),
      starts: this.starts, crashes: this.crashCount, counters: this.counters.toJSON(), latency: this.latency.summary(),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  private failedError(): PmError {
    return new PmError('PLUGIN_FAILED', `plugin ${this.plugin} is marked failed after ${this.opts.maxCrashes} crashes (last: ${this.lastError ?? 'unknown'})`, {
      hint: `fix the plugin, then restart pm (or run 'pm plugin-enable ${this.plugin}' again)`,
      data: { plugin: this.plugin },
    });
  }

  private request(method: string, params: unknown, what: string, options: CallOptions): Promise<unknown> {
    // The hot path (a running plugin) sends at once: no wait for a start, no extra promise.
    if (this.state === 'running' && this.peer) return this.send(this.peer, method, params, what, options);
    if (this.state === 'failed') return Promise.reject(this.failedError());
    return this.ensureStarted().then((peer) => this.send(peer, method, params, what, options));
  }

  private send(peer: RpcPeer, method: string, params: unknown, what: string, options: CallOptions): Promise<unknown> {
    const timeoutMs = options.timeoutMs ?? this.opts.callTimeoutMs;
    const t0 = performance.now();
    let id = 0;
    this.counters.inc('calls');
    const onProgress = options.onProgress;
    const finish = () => {
      const now = performance.now();
      this.latency.record(now - t0);
      this.lastUsed = now;
      if (onProgress) this.progress.delete(id);
      this.armIdle();
    };
    return peer.request(method, params, {
      timeoutMs,
      signal: options.signal,
      onId: onProgress ? (n) => { id = n; this.progress.set(n, onProgress); } : undefined,
    }).then(
      (result) => {
        finish();
        return result;
      },
      async (err: unknown) => {
        this.counters.inc('errors');
        try {
          throw await this.translate(err, what, timeoutMs);
        } finally {
          finish();
        }
      },
    );
  }

  /** Turns a protocol or plugin error into the PmError the caller sees. */
  private async translate(err: unknown, what: string, timeoutMs: number): Promise<PmError> {
    if (!(err instanceof IpcError)) return err instanceof PmError ? err : new PmError('PLUGIN_ERROR', `${this.plugin}: ${(err as Error).message}`, { data: { plugin: this.plugin } });
    switch (err.code) {
      case IpcCode.timeout:
        this.counters.inc('timeouts');
        this.kill(`${what} timed out after ${timeoutMs} ms`);
        return new PmError('PLUGIN_TIMEOUT', `${what} timed out after ${timeoutMs} ms; plugin ${this.plugin} was stopped and restarts on next use`, {
          hint: 'raise the tool\'s timeoutMs in plugin.json if the work is legitimately slow', data: { plugin: this.plugin, timeoutMs },
        });
      case IpcCode.cancelled:
        this.counters.inc('cancelled');
        return new PmError('CANCELLED', `${what} was cancelled`, { data: { plugin: this.plugin } });
      case IpcCode.busy:
        return new PmError('PLUGIN_BUSY', `plugin ${this.plugin} has too many calls in flight`, { hint: 'retry later', data: { plugin: this.plugin } });
      case IpcCode.closed: {
        // The channel closes a moment before the exit event gives the code and signal.
        if (this.exited) await Promise.race([this.exited, bound(this.opts.graceMs)]);
        return this.exitError ?? new PmError('PLUGIN_CRASHED', `plugin ${this.plugin} exited while handling ${what}`, { data: { plugin: this.plugin } });
      }
      default:
        return new PmError(err.code === 'ERROR' ? 'PLUGIN_ERROR' : err.code, `${this.plugin}: ${err.message}`, {
          ...(err.hint ? { hint: err.hint } : {}),
          data: { plugin: this.plugin, ...(err.data !== undefined ? { detail: err.data } : {}) },
        });
    }
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  /**
   * Arms the idle stop unless it is armed already: a call does not re-create the timer (that
   * cost a timer per call); the timer, when it fires, looks at the last use and re-arms for
   * the time that is left, so the plugin still stops idleTimeoutMs after its last call.
   */
  private armIdle(): void {
    if (!this.opts.idleTimeoutMs || this.idleTimer || this.state !== 'running') return;
    this.scheduleIdle(this.opts.idleTimeoutMs);
  }

  private scheduleIdle(ms: number): void {
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.state !== 'running') return;
      if ((this.peer?.inFlight ?? 0) > 0) return this.scheduleIdle(this.opts.idleTimeoutMs);
      const left = this.opts.idleTimeoutMs - (performance.now() - this.lastUsed);
      if (left > 0) return this.scheduleIdle(left);
      void this.stop().catch(() => {});
    }, ms);
    this.idleTimer.unref();
  }

  private ensureStarted(): Promise<RpcPeer> {
    if (this.state === 'running' && this.peer) return Promise.resolve(this.peer);
    this.starting ??= this.start().finally(() => { this.starting = undefined; });
    return this.starting;
  }

  /** Loads the entry without activating it and reports what it implements (plugin-validate). */
  async inspect(): Promise<Implemented> {
    return (await this.spawn(false)).implemented;
  }

  private async start(): Promise<RpcPeer> {
    // A killed process must be gone (and counted as a crash) before its successor starts.
    if (this.child && this.exited) await this.exited;
    const wait = this.nextStartAt - Date.now();
    if (wait > 0) await sleep(wait);
    if (this.state === 'failed') throw this.failedError();
    const { peer, implemented } = await this.spawn(true);
    this.implemented = implemented;
    if (implemented.lifecycle.includes('healthCheck')) {
      const h = await this.askHealth(peer);
      if (!h.ok) {
        const why = `healthCheck() after activate said: ${h.detail ?? 'not ok'}`;
        await this.dispose(why);
        this.lastError = why;
        throw new PmError('PLUGIN_UNHEALTHY', `plugin ${this.plugin} failed to start: ${why}`, { hint: 'see the plugin\'s log lines above for the cause', data: { plugin: this.plugin } });
      }
    }
    this.state = 'running';
    this.lastUsed = performance.now();
    this.armIdle();
    this.armHealth(peer);
    return peer;
  }

  private async askHealth(peer: RpcPeer): Promise<{ ok: boolean; detail?: string }> {
    try {
      return await peer.request<{ ok: boolean; detail?: string }>('health', {}, { timeoutMs: this.opts.startTimeoutMs });
    } catch (err) {
      return { ok: false, detail: (err as Error).message };
    }
  }

  /** Periodic health checks (opt-in): a failed check kills the process, which restarts on next use. */
  private armHealth(peer: RpcPeer): void {
    if (!this.opts.healthIntervalMs || !this.implemented?.lifecycle.includes('healthCheck')) return;
    const timer = setInterval(() => {
      if (this.peer !== peer || this.state !== 'running') return void clearInterval(timer);
      void this.askHealth(peer).then((h) => {
        if (!h.ok && this.peer === peer) {
          this.api.log(this.plugin, 'warn', `healthCheck failed (${h.detail ?? 'not ok'}); restarting`);
          this.kill(`healthCheck failed: ${h.detail ?? 'not ok'}`);
        }
      });
    }, this.opts.healthIntervalMs);
    timer.unref();
  }

  private async spawn(activate: boolean): Promise<{ peer: RpcPeer; implemented: Implemented }> {
    this.state = 'starting';
    this.killReason = undefined;
    this.exitError = undefined;
    this.stderrTail = '';
    const { hp, opts } = this;
    let child: ChildProcess;
    let peer: RpcPeer;
    try {
      await mkdir(hp.dataDir, { recursive: true });
      const paths = { pluginDir: await realpath(hp.dir), dataDir: await realpath(hp.dataDir), pmHome: opts.pmHome };
      const { runner, files } = runnerFiles();
      const execArgv = sandboxExecArgv(hp.manifest, { ...paths, runnerFiles: files }, { defaultMemoryMb: opts.memoryMb });
      child = fork(runner, [], {
        execArgv,
        env: sandboxEnv(hp.manifest, opts.env),
        cwd: paths.dataDir,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        serialization: 'json',
      });
      this.starts++;
    } catch (err) {
      this.state = 'idle';
      throw err instanceof PmError ? err : new PmError('PLUGIN_START_FAILED', `plugin ${hp.name} could not be started: ${(err as Error).message}`, { data: { plugin: hp.name } });
    }
    this.child = child;
    // A plugin's stdout must never reach the host's stdout (the MCP stdio channel): both go to the log.
    lines(child.stdout, (l) => this.api.log(hp.name, 'stdout', l));
    lines(child.stderr, (l) => {
      this.stderrTail = (this.stderrTail + l + '\n').slice(-4096);
      this.api.log(hp.name, 'stderr', l);
    });
    let readyResolve!: () => void;
    const ready = new Promise<void>((r) => (readyResolve = r));
    this.exited = new Promise<void>((r) => child.once('exit', (code, signal) => {
      this.onExit(child, code, signal);
      r();
    }));
    peer = new RpcPeer(new ChildProcessTransport(child), {
      maxInFlight: opts.maxInFlight,
      maxIncoming: opts.maxInFlight,
      handlers: {
        'tools.call': (p) => {
          const { name, args } = (p ?? {}) as { name?: unknown; args?: unknown };
          if (typeof name !== 'string') throw new PmError('BAD_REQUEST', 'tools.call needs a tool name');
          return this.api.callTool(hp.name, name, args ?? {});
        },
        'hooks.emit': async (p) => {
          const { event, value } = (p ?? {}) as { event?: unknown; value?: unknown };
          if (typeof event !== 'string') throw new PmError('BAD_REQUEST', 'hooks.emit needs an event name');
          await this.api.emit(hp.name, event, value);
          return null;
        },
      },
      onNotification: (method, params) => {
        if (method === 'ready') readyResolve();
        else if (method === 'log') {
          const { level, message } = (params ?? {}) as { level?: unknown; message?: unknown };
          this.api.log(hp.name, typeof level === 'string' ? level : 'info', String(message));
        } else if (method === 'progress') {
          const p = (params ?? {}) as { id?: unknown; progress?: unknown; total?: unknown; message?: unknown };
          const fn = typeof p.id === 'number' ? this.progress.get(p.id) : undefined;
          if (fn && typeof p.progress === 'number') {
            fn({ progress: p.progress, ...(typeof p.total === 'number' ? { total: p.total } : {}), ...(typeof p.message === 'string' ? { message: p.message } : {}) });
          }
        }
      },
    });
    this.peer = peer;
    try {
      const startFailed = new Promise<never>((_, reject) => {
        void this.exited!.then(() => reject(this.exitError ?? new PmError('PLUGIN_CRASHED', `plugin ${hp.name} exited during start`)));
      });
      startFailed.catch(() => {});
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new IpcError(IpcCode.timeout, `no answer within ${opts.startTimeoutMs} ms`)), opts.startTimeoutMs);
      });
      try {
        await Promise.race([ready, startFailed, timeout]);
        const implemented = await Promise.race([
          peer.request<Implemented>('init', {
            name: hp.name, version: hp.manifest.version, dir: await realpath(hp.dir), main: hp.manifest.main ?? 'index.js',
            dataDir: await realpath(hp.dataDir), config: hp.config ?? {}, activate,
          }),
          startFailed, timeout,
        ]);
        return { peer, implemented };
      } finally {
        clearTimeout(timer);
      }
    } catch (err) {
      const e0 = err as Error;
      const exitError = this.exitError as PmError | undefined;
      const why = err instanceof IpcError && err.code === IpcCode.closed && exitError ? exitError.message : e0.message;
      this.kill(`start failed: ${why}`);
      await Promise.race([this.exited, bound(opts.graceMs)]);
      const state = this.state as PluginState;
      if (state === 'starting') this.state = 'idle';
      const marked = state === 'failed' ? `; marked failed after ${opts.maxCrashes} crashes, its calls now fail at once` : '';
      const e = new PmError('PLUGIN_START_FAILED', `plugin ${hp.name} failed to start: ${why}${marked}`, {
        hint: `run 'pm plugin-validate' on the plugin folder and check its activate()`, data: { plugin: hp.name },
      });
      this.lastError = `failed to start: ${why}`;
      throw e;
    }
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return;
    this.clearIdle();
    const stopping = this.state === 'stopping';
    const how = signal ? `signal ${signal}` : `code ${code}`;
    let message: string;
    if (/heap out of memory|Allocation failed/i.test(this.stderrTail)) {
      message = `plugin ${this.plugin} ran out of memory (limit ${this.hp.manifest.permissions?.memoryMb ?? this.opts.memoryMb} MiB) and was stopped`;
    } else if (this.killReason) message = `plugin ${this.plugin} was stopped: ${this.killReason}`;
    else message = `plugin ${this.plugin} exited unexpectedly (${how})`;
    this.exitError = new PmError(/out of memory/.test(message) ? 'PLUGIN_OUT_OF_MEMORY' : 'PLUGIN_CRASHED', message, { data: { plugin: this.plugin, code, signal } });
    this.peer?.failAll(new IpcError(IpcCode.closed, message));
    this.peer = undefined;
    this.child = undefined;
    if (stopping) {
      this.state = 'idle';
      return;
    }
    // A crash, a kill after a timeout, or a failed start: all count towards "failed".
    this.crashCount++;
    this.lastError = message;
    const now = Date.now();
    this.crashTimes = this.crashTimes.filter((t) => now - t < this.opts.crashWindowMs);
    this.crashTimes.push(now);
    if (this.crashTimes.length >= this.opts.maxCrashes) {
      this.state = 'failed';
      this.api.log(this.plugin, 'error', `marked failed after ${this.crashTimes.length} crashes; its calls now fail until pm restarts`);
      return;
    }
    this.state = 'idle';
    this.nextStartAt = now + Math.min(this.opts.backoffMaxMs, this.opts.backoffMs * 2 ** (this.crashTimes.length - 1));
  }

  /** Kills the process at once (SIGKILL); `reason` becomes the error pending calls see. */
  kill(reason: string): void {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    this.killReason = reason;
    c.kill('SIGKILL');
    // New calls must not reach the dying process: they start a fresh one once it is gone.
    this.peer?.failAll(new IpcError(IpcCode.closed, reason));
    this.peer = undefined;
    if (this.state === 'running') this.state = 'idle';
  }

  /** Kills the process (if any) and waits for it to be gone. */
  async dispose(reason = 'disposed'): Promise<void> {
    const exited = this.child ? this.exited : undefined;
    this.kill(reason);
    if (exited) await Promise.race([exited, bound(this.opts.graceMs)]);
  }

  /** Stops the plugin: deactivate() within the grace period, disconnect, then kill if it lingers. */
  async stop(): Promise<void> {
    this.clearIdle();
    if (this.starting) await this.starting.catch(() => {});
    const child = this.child;
    const peer = this.peer;
    if (!child || !peer || this.state !== 'running') return;
    this.state = 'stopping';
    // Calls still waiting when the process goes see why.
    this.killReason = 'pm stopped it (idle, reload or shutdown)';
    try {
      await peer.request('deactivate', {}, { timeoutMs: this.opts.graceMs });
    } catch {
      // A plugin that cannot deactivate in time is killed below; nothing to report to a caller.
    }
    await peer.close().catch(() => {});
    const gone = await Promise.race([this.exited!.then(() => true), bound(this.opts.graceMs).then(() => false)]);
    if (!gone) {
      this.killReason = 'it did not exit within the grace period';
      child.kill('SIGKILL');
      await this.exited;
    }
  }
}
