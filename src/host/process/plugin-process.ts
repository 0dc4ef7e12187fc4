/**
 * One plugin's process as a state machine (DESIGN §5): lazy start, activate, health check,
 * per-call timeout (kill, restart on next use), crash restart with backoff, "failed" after
 * repeated crashes, idle stop, graceful deactivate then kill. How the process is started is
 * the launcher's business.
 */
import { PmError } from '../../core/errors.js';
import type { HookBatchParams, RemoteHookTarget } from '../hooks/dispatcher.js';
import { IpcCode, IpcError, type HookBatchResult, type RpcPeer } from '../ipc.js';
import type { LaunchedProcess, Launcher } from '../launch/launcher.js';
import { nodeLauncher } from '../launch/node-launcher.js';
import type { HostPlugin } from '../manifest-types.js';
import { Counters, Histogram } from '../metrics.js';
import { callError } from './call-error.js';
import { CrashRecord } from './crash-record.js';
import { hostSide } from './host-side.js';
import { IdleTimer } from './idle-timer.js';
import type { CallOptions, Implemented, PluginProcessStats, PluginState, SupervisorHostApi, SupervisorOptions } from './options.js';
import { OutputBudget } from './output-budget.js';
import { lines } from './output-lines.js';
import { childSpan, spanPromise } from '../telemetry/tracing.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** A bound for a race: unref'd, so a process that is done never waits for it to run out. */
const bound = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

type Health = { ok: boolean; detail?: string };

/** Supervises one plugin's process. */
export class PluginProcess implements RemoteHookTarget {
  state: PluginState = 'idle';
  readonly plugin: string;
  private child?: LaunchedProcess;
  private peer?: RpcPeer;
  private starting?: Promise<RpcPeer>;
  private exited?: Promise<void>;
  private readonly crashes: CrashRecord;
  private readonly idle: IdleTimer;
  private readonly output: OutputBudget;
  private killReason?: string;
  private stderrTail = '';
  private lastError?: string;
  private exitError?: PmError;
  private starts = 0;
  private crashCount = 0;
  private implemented?: Implemented;
  private readonly progress = new Map<number, NonNullable<CallOptions['onProgress']>>();
  readonly counters = new Counters<'calls' | 'errors' | 'timeouts' | 'cancelled' | 'restarts'>();
  /** The last exit was a crash: the next start is a restart (pm.plugin.process.restarts). */
  private restartNext = false;
  readonly latency = new Histogram();

  constructor(
    readonly hp: HostPlugin,
    private readonly opts: SupervisorOptions,
    private readonly api: SupervisorHostApi,
    private readonly launcher: Launcher = nodeLauncher,
  ) {
    this.plugin = hp.name;
    this.crashes = new CrashRecord(opts);
    this.output = new OutputBudget(opts.outputBytesPerSec, (m) => api.log(hp.name, 'warn', m));
    this.idle = new IdleTimer(opts.idleTimeoutMs, {
      running: () => this.state === 'running',
      inFlight: () => this.peer?.inFlight ?? 0,
      onIdle: () => void this.stop().catch(() => {}),
    });
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
  async health(): Promise<Health> {
    return (await this.request('health', {}, 'healthCheck', { timeoutMs: this.opts.startTimeoutMs })) as Health;
  }

  /** What the entry implements (after the first start). */
  get implementedNames(): Implemented | undefined {
    return this.implemented;
  }

  /** Clears a failed mark so the next use starts the plugin again. */
  reset(): void {
    if (this.state === 'failed') this.state = 'idle';
    this.crashes.clear();
  }

  /** Counters, latency and state of this plugin's process. */
  stats(withHistogram = false): PluginProcessStats {
    return {
      name: this.plugin, state: this.state, ...(this.child?.pid && this.state === 'running' ? { pid: this.child.pid } : {}),
      starts: this.starts, crashes: this.crashCount, counters: this.counters.toJSON(), latency: this.latency.summary(),
      ...(withHistogram ? { histogram: this.latency.toJSON() } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  private failedError(): PmError {
    return new PmError('PLUGIN_FAILED', `plugin ${this.plugin} is marked failed after ${this.opts.maxCrashes} crashes (last: ${this.lastError ?? 'unknown'})`, {
      hint: `fix the plugin, then run 'pm plugin-enable ${this.plugin}': a running pm serve restarts it`,
      data: { plugin: this.plugin },
    });
  }

  private request(method: string, params: unknown, what: string, options: CallOptions): Promise<unknown> {
    // A traced request: the hop into the plugin (its start included) is a span.
    const trace = options.call?.trace;
    if (trace !== undefined) return spanPromise(childSpan(trace, `ipc ${method} ${this.plugin}`, 'client', { 'pm.plugin.name': this.plugin, 'pm.ipc.method': method, 'pm.ipc.target': what }), this.request(method, params, what, { ...options, call: undefined }));
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
      this.latency.record(performance.now() - t0);
      if (onProgress) this.progress.delete(id);
      this.idle.touch();
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

  private async translate(err: unknown, what: string, timeoutMs: number): Promise<PmError> {
    const code = err instanceof IpcError ? err.code : undefined;
    if (code === IpcCode.timeout) {
      this.counters.inc('timeouts');
      this.kill(`${what} timed out after ${timeoutMs} ms`);
    } else if (code === IpcCode.cancelled) this.counters.inc('cancelled');
    else if (code === IpcCode.closed) {
      // The channel closes a moment before the exit gives the code and signal.
      if (this.exited) await Promise.race([this.exited, bound(this.opts.graceMs)]);
      return this.exitError ?? new PmError('PLUGIN_CRASHED', `plugin ${this.plugin} exited while handling ${what}`, { data: { plugin: this.plugin } });
    }
    return callError(this.plugin, err, what, timeoutMs);
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
    const wait = this.crashes.waitMs(Date.now());
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
    this.idle.touch();
    this.armHealth(peer);
    return peer;
  }

  private async askHealth(peer: RpcPeer): Promise<Health> {
    try {
      return await peer.request<Health>('health', {}, { timeoutMs: this.opts.startTimeoutMs });
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
    let child: LaunchedProcess;
    try {
      child = await this.launcher.launch({ plugin: hp, memoryMb: opts.memoryMb, pmHome: opts.pmHome, env: opts.env });
      this.starts++;
      if (this.restartNext) this.counters.inc('restarts');
      this.restartNext = false;
    } catch (err) {
      this.state = 'idle';
      throw err;
    }
    this.child = child;
    // A plugin's stdout must never reach the host's stdout (the MCP stdio channel): both go to the log.
    lines(child.stdout, (l) => this.pluginLog('stdout', l));
    lines(child.stderr, (l) => {
      this.stderrTail = (this.stderrTail + l + '\n').slice(-4096);
      this.pluginLog('stderr', l);
    });
    let readyResolve!: () => void;
    const ready = new Promise<void>((r) => (readyResolve = r));
    this.exited = child.exited.then(({ code, signal }) => this.onExit(child, code, signal));
    const api = { ...this.api, log: (_p: string, level: string, message: string) => this.pluginLog(level, message) };
    const peer = hostSide(child.channel, { plugin: hp.name, maxInFlight: opts.maxInFlight, api, progress: this.progress, onReady: () => readyResolve() });
    this.peer = peer;
    // Garbage on the channel is this plugin's crash, never the host's: stop it and let the crash rules decide.
    child.channel.onerror = (err) => {
      if (this.child !== child) return;
      this.api.log(hp.name, 'error', `broke the host protocol: ${err.message}; stopping it`);
      this.kill(`it broke the host protocol: ${err.message}`);
    };
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
            name: hp.name, version: hp.manifest.version, dir: child.dirs.plugin, main: hp.manifest.main ?? 'index.js',
            dataDir: child.dirs.data, config: hp.config ?? {}, activate,
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
      this.lastError = `failed to start: ${why}`;
      throw new PmError('PLUGIN_START_FAILED', `plugin ${hp.name} failed to start: ${why}${marked}`, {
        hint: `run 'pm plugin-validate' on the plugin folder and check its activate()`, data: { plugin: hp.name },
      });
    }
  }

  /** A line of the plugin's own output (stdout, stderr, ctx.log), within its output budget. */
  private pluginLog(level: string, message: string): void {
    if (this.output.allow(message.length + 1)) this.api.log(this.plugin, level, message);
  }

  private onExit(child: LaunchedProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return;
    this.output.flush();
    this.idle.clear();
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
    this.restartNext = true;
    this.lastError = message;
    const failed = this.crashes.record(Date.now());
    this.api.crashed?.(this.plugin, { message, failed });
    if (failed) {
      this.state = 'failed';
      this.api.log(this.plugin, 'error', `marked failed after ${this.crashes.recent} crashes; its calls now fail until pm restarts`);
      return;
    }
    this.state = 'idle';
  }

  /** Kills the process at once (SIGKILL); `reason` becomes the error pending calls see. */
  kill(reason: string): void {
    const c = this.child;
    if (!c || c.hasExited) return;
    this.killReason = reason;
    c.kill();
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
    this.idle.clear();
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
      child.kill();
      await this.exited;
    }
  }
}
