/**
 * A server plugin's process (DESIGN §2 "Server plugins", §5): pm is its MCP client over
 * stdio. Lazy start, initialize within startTimeoutMs, per-call timeout (kill, restart on
 * next use), crash restart with backoff, "failed" after repeated crashes, idle stop, and a
 * graceful stop (close stdin, SIGTERM, SIGKILL). Spawning is launch/spawn-command.ts's.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, GetPromptResult, ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { PmError } from '../../core/errors.js';
import { spawnCommand, type SpawnCommand, type SpawnedCommand } from '../launch/spawn-command.js';
import type { HostPlugin } from '../manifest-types.js';
import { Counters, Histogram } from '../metrics.js';
import { clientOperation } from '../telemetry/client-operation.js';
import { CrashRecord } from '../process/crash-record.js';
import { IdleTimer } from '../process/idle-timer.js';
import type { CallOptions, PluginProcessStats, PluginState, SupervisorHostApi, SupervisorOptions } from '../process/options.js';
import { OutputBudget } from '../process/output-budget.js';
import { lines } from '../process/output-lines.js';
import type { PipeTransport } from './pipe-transport.js';
import { ALL_KINDS, readCatalog } from './read-catalog.js';
import { isConnectionClosed, isRequestTimeout, requestError } from './request-error.js';
import { redactor } from './redact.js';
import { serverClient } from './server-client.js';
import { spawnServer } from './spawn-server.js';
import type { ServerCatalog, ServerListKind, ServerProcessEvents, ServerProcessLike } from './types.js';

/** The start races its own bound (startTimeoutMs), so its requests get no SDK timeout: the longest a timer allows. */
const NO_SDK_TIMEOUT = 0x7fffffff;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** A bound for a race: unref'd, so a process that is done never waits for it to run out. */
const bound = (ms: number) => new Promise<false>((r) => setTimeout(() => r(false), ms).unref());

/** What a ServerProcess needs besides the plugin and the supervisor settings. */
export interface ServerProcessDeps {
  log: SupervisorHostApi['log'];
  events?: ServerProcessEvents;
  /** Spawns the program (default launch/spawn-command.ts; the OS sandbox passes its own). */
  spawn?: SpawnCommand;
}

/** One started program and pm's MCP client on it. */
interface Run {
  child: SpawnedCommand;
  client: Client;
  transport: PipeTransport;
  /** Settles when the program is gone and onExit has run. */
  exited: Promise<void>;
}

/** Supervises one server plugin's process. */
export class ServerProcess implements ServerProcessLike {
  state: PluginState = 'idle';
  readonly name: string;
  private run?: Run;
  private starting?: Promise<Run>;
  private cat?: ServerCatalog;
  private readonly dirty = new Set<ServerListKind>();
  private readonly crashes: CrashRecord;
  private readonly idle: IdleTimer;
  private readonly output: OutputBudget;
  private readonly spawn: SpawnCommand;
  private readonly events: ServerProcessEvents;
  /** Secret values never reach the log or an error message, whatever the server prints. */
  private readonly redact: (text: string) => string;
  private killReason?: string;
  private exitError?: PmError;
  private lastError?: string;
  private stderrTail = '';
  private starts = 0;
  private crashCount = 0;
  private restartNext = false;
  private inFlight = 0;
  readonly counters = new Counters<'calls' | 'errors' | 'timeouts' | 'cancelled' | 'restarts'>();
  readonly latency = new Histogram();

  constructor(
    readonly hp: HostPlugin,
    private readonly opts: SupervisorOptions,
    private readonly deps: ServerProcessDeps,
  ) {
    this.name = hp.name;
    this.spawn = deps.spawn ?? spawnCommand;
    this.events = deps.events ?? {};
    this.redact = redactor(hp.secrets);
    this.crashes = new CrashRecord(opts);
    this.output = new OutputBudget(opts.outputBytesPerSec, (m) => deps.log(hp.name, 'warn', m));
    this.idle = new IdleTimer(opts.idleTimeoutMs, {
      running: () => this.state === 'running',
      inFlight: () => this.inFlight,
      onIdle: () => void this.stop().catch(() => {}),
    });
  }

  /** Starts the server if needed and returns its lists, re-reading those a list_changed marked. */
  async catalog(): Promise<ServerCatalog> {
    const run = await this.ensureStarted();
    if (this.cat && this.dirty.size === 0) return this.cat;
    const kinds = this.cat ? [...this.dirty] : ALL_KINDS;
    this.dirty.clear();
    try {
      this.cat = await this.request('lists', { timeoutMs: this.opts.callTimeoutMs }, false, (client, ro) => readCatalog(client, kinds, ro, this.cat), run);
    } catch (err) {
      for (const k of kinds) this.dirty.add(k);
      throw err;
    }
    return this.cat;
  }

  /** tools/call by the server's own tool name; progress and cancellation pass through. */
  callTool(tool: string, args: Record<string, unknown>, options: CallOptions = {}): Promise<CallToolResult> {
    return clientOperation(options.call, 'tools/call', tool, this.name, (meta) => this.request(`tool ${this.name}.${tool}`, options, true, (client, ro) => client.callTool({ name: tool, arguments: args, ...meta }, undefined, ro) as Promise<CallToolResult>));
  }

  /** resources/read of `uri`. */
  readResource(uri: string, options: CallOptions = {}): Promise<ReadResourceResult> {
    return clientOperation(options.call, 'resources/read', uri, this.name, (meta) => this.request(`resource ${uri}`, options, true, (client, ro) => client.readResource({ uri, ...meta }, ro)));
  }

  /** prompts/get of the server's prompt `name`. */
  getPrompt(name: string, args: Record<string, string>, options: CallOptions = {}): Promise<GetPromptResult> {
    return clientOperation(options.call, 'prompts/get', name, this.name, (meta) => this.request(`prompt ${this.name}.${name}`, options, true, (client, ro) => client.getPrompt({ name, arguments: args, ...meta }, ro)));
  }

  /** `ping`, starting the server if needed; a start that fails is reported as not ok. */
  async health(): Promise<{ ok: boolean; detail?: string }> {
    try {
      await this.request('ping', { timeoutMs: this.opts.startTimeoutMs }, false, (client, ro) => client.ping(ro));
      return { ok: true };
    } catch (err) {
      return { ok: false, detail: (err as Error).message };
    }
  }

  /** Clears a failed mark so the next use starts the server again. */
  reset(): void {
    if (this.state === 'failed') this.state = 'idle';
    this.crashes.clear();
  }

  /** Counters, latency and state of this server's process. */
  stats(withHistogram = false): PluginProcessStats {
    const pid = this.state === 'running' ? this.run?.child.pid : undefined;
    return {
      name: this.name, state: this.state, ...(pid ? { pid } : {}),
      starts: this.starts, crashes: this.crashCount, counters: this.counters.toJSON(), latency: this.latency.summary(),
      ...(withHistogram ? { histogram: this.latency.toJSON() } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  private failedError(): PmError {
    return new PmError('PLUGIN_FAILED', `server plugin ${this.name} is marked failed after ${this.opts.maxCrashes} crashes (last: ${this.lastError ?? 'unknown'})`, {
      hint: `fix the server, then run 'pm plugin-enable ${this.name}': a running pm serve restarts it`,
      data: { plugin: this.name },
    });
  }

  /**
   * One request to the server under pm's timeout, with the caller's abort signal and progress.
   * Both go to the SDK request itself (its timer and its signal listener): no timer, controller or listener of pm's own per call.
   */
  private async request<T>(what: string, options: CallOptions, counted: boolean, fn: (client: Client, ro: RequestOptions) => Promise<T>, started?: Run): Promise<T> {
    if (this.state === 'failed') throw this.failedError();
    if (this.inFlight >= this.opts.maxInFlight) {
      throw new PmError('PLUGIN_BUSY', `server plugin ${this.name} has too many calls in flight`, { hint: 'retry later', data: { plugin: this.name } });
    }
    const run = started ?? (this.state === 'running' && this.run ? this.run : await this.ensureStarted());
    const timeoutMs = options.timeoutMs ?? this.opts.callTimeoutMs;
    const t0 = performance.now();
    if (counted) this.counters.inc('calls');
    this.inFlight++;
    const { signal, onProgress } = options;
    const ro: RequestOptions = { timeout: timeoutMs };
    // The SDK sends notifications/cancelled when either the timeout or the caller's signal ends the request.
    if (signal) ro.signal = signal;
    if (onProgress) ro.onprogress = (p) => onProgress({ progress: p.progress, total: p.total, message: p.message });
    try {
      return await fn(run.client, ro);
    } catch (err) {
      if (counted) this.counters.inc('errors');
      const cancelled = signal?.aborted === true;
      // The SDK's own timeout; a server answering -32001 early is not one.
      const timedOut = !cancelled && isRequestTimeout(err) && performance.now() - t0 >= timeoutMs - 1;
      throw await this.failure(err, run, what, timeoutMs, timedOut, cancelled);
    } finally {
      this.inFlight--;
      if (counted) this.latency.record(performance.now() - t0);
      this.idle.touch();
    }
  }

  /** The PmError a failed request becomes; a timeout kills the process. */
  private async failure(err: unknown, run: Run, what: string, timeoutMs: number, timedOut: boolean, cancelled: boolean): Promise<PmError> {
    if (timedOut) {
      this.counters.inc('timeouts');
      this.kill(`${what} timed out after ${timeoutMs} ms`, run);
    } else if (cancelled) this.counters.inc('cancelled');
    else if (isConnectionClosed(err) || run.child.hasExited || run !== this.run) {
      // The pipe closes a moment before the exit gives the code and signal.
      await Promise.race([run.exited, bound(this.opts.graceMs)]);
      return this.exitError ?? new PmError('PLUGIN_CRASHED', `server plugin ${this.name} exited while handling ${what}`, { data: { plugin: this.name } });
    }
    const e = requestError(this.name, err, what, timeoutMs, timedOut, cancelled);
    e.message = this.redact(e.message);
    return e;
  }

  private ensureStarted(): Promise<Run> {
    if (this.state === 'running' && this.run) return Promise.resolve(this.run);
    this.starting ??= this.start().finally(() => { this.starting = undefined; });
    return this.starting;
  }

  private async start(): Promise<Run> {
    // A killed process must be gone (and counted as a crash) before its successor starts.
    if (this.run) await this.run.exited;
    const wait = this.crashes.waitMs(Date.now());
    if (wait > 0) await sleep(wait);
    if (this.state === 'failed') throw this.failedError();
    this.state = 'starting';
    let run: Run;
    try {
      run = await this.launch();
    } catch (err) {
      // Not a crash: a missing secret, config value or command is fixed by the user, not by a restart.
      this.state = 'idle';
      this.lastError = (err as Error).message;
      throw err;
    }
    try {
      const ro: RequestOptions = { timeout: NO_SDK_TIMEOUT };
      const exitedEarly = run.exited.then(() => { throw this.exitError ?? new Error('it exited'); });
      const ready = (async () => {
        await run.client.connect(run.transport, ro);
        return readCatalog(run.client, ALL_KINDS, ro);
      })();
      const late = bound(this.opts.startTimeoutMs).then(() => { throw new Error(`it did not answer initialize and the lists within ${this.opts.startTimeoutMs} ms`); });
      exitedEarly.catch(() => {});
      ready.catch(() => {});
      this.cat = await Promise.race([ready, exitedEarly, late]);
      this.dirty.clear();
    } catch (err) {
      // The pipe closes a moment before the exit gives the code and signal (or the garbage reason).
      if (isConnectionClosed(err)) await Promise.race([run.exited, bound(this.opts.graceMs)]);
      const why = this.exitError && this.run !== run ? this.exitError.message : (err as Error).message;
      this.kill(`start failed: ${why}`, run);
      await Promise.race([run.exited, bound(this.opts.graceMs)]);
      if ((this.state as PluginState) === 'starting') this.state = 'idle';
      const marked = (this.state as PluginState) === 'failed' ? `; marked failed after ${this.opts.maxCrashes} crashes, its calls now fail at once` : '';
      const tail = this.stderrTail.trim().split('\n').pop();
      this.lastError = `failed to start: ${why}`;
      throw new PmError('PLUGIN_START_FAILED', `server plugin ${this.name} failed to start: ${why}${marked}`, {
        hint: tail ? `its last stderr line: ${this.redact(tail.slice(0, 300))}` : `run its command by hand to see why (pm plugin-info ${this.name} shows it)`,
        data: { plugin: this.name },
      });
    }
    this.state = 'running';
    this.idle.touch();
    this.armHealth(run);
    this.events.onStarted?.(this.cat);
    return run;
  }

  /** Substitutes, builds the environment and spawns; wires stderr, the MCP client and the exit. */
  private async launch(): Promise<Run> {
    const child = await spawnServer(this.hp, this.opts, this.spawn);
    this.starts++;
    if (this.restartNext) this.counters.inc('restarts');
    this.restartNext = false;
    this.killReason = undefined;
    this.exitError = undefined;
    this.stderrTail = '';
    lines(child.stderr, (l) => {
      this.stderrTail = (this.stderrTail + l + '\n').slice(-4096);
      this.pluginLog('stderr', l);
    });
    const { client, transport } = serverClient(child, {
      listChanged: (kind) => this.listChanged(kind),
      log: (level, message) => this.pluginLog(level, message),
      garbage: (err) => this.garbage(run, err),
    });
    // A server that closes stdout but keeps running can answer nothing more: it is stopped as crashed.
    child.stdout.once('close', () => {
      // Its exit usually follows at once; only one that lingers is killed.
      setTimeout(() => {
        if (this.run === run && this.state !== 'stopping' && !child.hasExited) this.kill('it closed its stdout', run);
      }, this.opts.graceMs).unref();
    });
    const run: Run = { child, client, transport, exited: Promise.resolve() };
    run.exited = child.exited.then((e) => this.onExit(run, e.code, e.signal, e.error));
    this.run = run;
    return run;
  }

  private listChanged(kind: ServerListKind): void {
    this.dirty.add(kind);
    if (this.state === 'running') this.events.onListChanged?.(kind);
  }

  /** Garbage on stdout is this server's crash, never the host's: logged once, then killed. */
  private garbage(run: Run, err: Error): void {
    if (run !== this.run) return;
    const what = this.redact(err.message.slice(0, 300));
    this.deps.log(this.name, 'error', `wrote a line to stdout that is not MCP JSON-RPC (${what}); stdout is the protocol channel, logs belong on stderr. Stopping it as crashed`);
    this.kill(`it broke the MCP protocol on stdout: ${what}`, run);
  }

  /** Periodic pings (opt-in): a failed one kills the process, which restarts on next use. */
  private armHealth(run: Run): void {
    if (!this.opts.healthIntervalMs) return;
    const timer = setInterval(() => {
      if (this.run !== run || this.state !== 'running') return void clearInterval(timer);
      run.client.ping({ timeout: this.opts.startTimeoutMs }).catch((err: Error) => {
        if (this.run !== run) return;
        this.deps.log(this.name, 'warn', `ping failed (${err.message}); restarting`);
        this.kill(`ping failed: ${err.message}`, run);
      });
    }, this.opts.healthIntervalMs);
    timer.unref();
  }

  /** A line of the server's own output, within its output budget. */
  private pluginLog(level: string, message: string): void {
    if (this.output.allow(message.length + 1)) this.deps.log(this.name, level, this.redact(message));
  }

  private onExit(run: Run, code: number | null, signal: NodeJS.Signals | null, error?: string): void {
    if (run !== this.run) return;
    const stopping = this.state === 'stopping';
    const how = signal ? `signal ${signal}` : `code ${code}`;
    const message = this.killReason ? `server plugin ${this.name} was stopped: ${this.killReason}`
      : error ? `server plugin ${this.name} could not be started: ${error}`
        : `server plugin ${this.name} exited unexpectedly (${how})`;
    this.exitError = new PmError('PLUGIN_CRASHED', message, { data: { plugin: this.name, code, signal } });
    this.run = undefined;
    // Requests still waiting see the exit (ConnectionClosed → exitError).
    run.transport.finish();
    this.output.flush();
    this.idle.clear();
    if (stopping) {
      this.state = 'idle';
      return;
    }
    // A crash, a kill after a timeout or garbage, or a failed start: all count towards "failed".
    this.crashCount++;
    this.lastError = message;
    this.restartNext = true;
    const failed = this.crashes.record(Date.now());
    this.state = failed ? 'failed' : 'idle';
    if (failed) this.deps.log(this.name, 'error', `marked failed after ${this.crashes.recent} crashes; its calls now fail until it is re-enabled`);
    this.events.onCrashed?.({ code, signal, failed, message });
  }

  /** Kills the process at once (SIGKILL); `reason` becomes the error pending calls see. */
  private kill(reason: string, run = this.run): void {
    if (!run || run !== this.run || run.child.hasExited) return;
    this.killReason = reason;
    run.child.kill('SIGKILL');
    // New calls must not reach the dying process: they start a fresh one once it is gone.
    if (this.state === 'running') this.state = 'idle';
  }

  /** Graceful stop: close stdin, wait graceMs, SIGTERM, wait graceMs, SIGKILL. */
  async stop(): Promise<void> {
    this.idle.clear();
    if (this.starting) await this.starting.catch(() => {});
    const run = this.run;
    if (!run) return;
    if (this.state !== 'running') {
      await Promise.race([run.exited, bound(this.opts.graceMs)]);
      return;
    }
    this.state = 'stopping';
    this.killReason = 'pm stopped it (idle, reload or shutdown)';
    await run.transport.close();
    const gone = () => Promise.race([run.exited.then(() => true), bound(this.opts.graceMs)]);
    if (await gone()) return;
    run.child.kill('SIGTERM');
    if (await gone()) return;
    run.child.kill('SIGKILL');
    await run.exited;
  }
}
