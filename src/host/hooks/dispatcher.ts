/**
 * The host's hook dispatcher (DESIGN §5): registers handlers (in-process functions or a plugin
 * process's manifest entries), knows each event's kind, and keeps per-handler stats. How handlers
 * run is rules.ts, the same rules the plugin runner applies to the stretch it is sent.
 */
import { BUILTIN_EVENTS, isBuiltinEvent } from '../../core/hooks/events.js';
import { Histogram, type HistogramJSON, type LatencySummary } from '../metrics.js';
import { callInfo, type CallContext } from '../call-context.js';
import { compileGlob } from '../../core/glob.js';
import { recordHookRun } from '../telemetry/hook-telemetry.js';
import { childSpan, spanPromise } from '../telemetry/tracing.js';
import {
  DEFAULT_PRIORITY, HookOrder, Running, runAll, runChain,
  type ChainResult, type HookBatchParams, type HookBatchResult, type HookContext, type HookError, type HookIo, type HookKind, type Outcome, type RuleHandler,
} from './rules.js';

export type { HookBatchParams, HookBatchResult, HookContext, HookKind, Outcome };

/** The request a dispatch serves, when there is one: the MCP layer's per-request CallContext. */
export type HookCallContext = CallContext;

/** A plugin process that can run several of its handlers for one event in one round trip. */
export interface RemoteHookTarget {
  readonly plugin: string;
  invokeHooks(params: HookBatchParams, timeoutMs: number): Promise<HookBatchResult>;
}

export type InProcessHandler = (value: any, ctx: HookContext, call?: HookCallContext) => unknown;

export interface HandlerSpec {
  plugin: string;
  event: string;
  /** Lower runs first; default 10. */
  priority?: number;
  /** Run only for tools whose `<plugin>.<tool>` name matches this glob. */
  match?: { tool?: string };
  /** Per-handler timeout (default: the dispatcher's). */
  timeoutMs?: number;
  /** Guards only: allow when this handler throws or times out (default: the dispatcher's guardFailOpen). */
  failOpen?: boolean;
  /** An in-process handler (the host's own, tests, benchmarks)… */
  fn?: InProcessHandler;
  /** …or a plugin process plus the handler's index in its manifest's `contributes.hooks`. */
  remote?: RemoteHookTarget;
  index?: number;
}

/** One handler's part in one dispatch (collected with `trace: true`). */
export interface HandlerOutcome {
  plugin: string;
  priority: number;
  match?: string;
  outcome: Outcome;
  ms: number;
  error?: string;
  reason?: string;
}

export interface DispatchResult<T = unknown> {
  value: T;
  /** Set when a guard vetoed (or failed closed). */
  denied?: { plugin: string; reason: string };
  /** Each handler's outcome, in run order, when the dispatch asked for a trace. */
  handlers?: HandlerOutcome[];
}

export interface DispatchOptions {
  /** Collect each handler's outcome (and time every handler). */
  trace?: boolean;
  /** The request this dispatch serves. */
  call?: HookCallContext;
}

export interface HandlerStats {
  event: string;
  plugin: string;
  index: number;
  priority: number;
  match?: string;
  calls: number;
  errors: number;
  timeouts: number;
  denied: number;
  skipped: number;
  latency: LatencySummary;
  /** The raw latency histogram, only when asked for (the stats files keep it to merge runs). */
  histogram?: HistogramJSON;
  lastError?: string;
}

/** What the host is told about a handler that failed (it logs it, tagged with the plugin). */
export interface HandlerErrorInfo {
  event: string;
  plugin: string;
  outcome: 'error' | 'timeout';
  /** Starts with the plugin's name. */
  message: string;
  call?: HookCallContext;
}

export interface DispatcherOptions {
  /** Per-handler timeout when the handler gives none (default 5000 ms). */
  handlerTimeoutMs?: number;
  /** Let calls through when a guard throws or times out (default false: fail closed). */
  guardFailOpen?: boolean;
  onHandlerError?: (info: HandlerErrorInfo) => void;
}

/** A registered handler with its stats. Fields are plain for speed; treat them as read-only outside this folder. */
export class Handler implements RuleHandler {
  removed = false;
  calls = 0;
  errors = 0;
  timeouts = 0;
  denied = 0;
  skipped = 0;
  lastError?: string;
  readonly latency = new Histogram();
  readonly matcher?: (name: string) => boolean;
  readonly group?: RemoteHookTarget;

  constructor(
    readonly plugin: string,
    readonly event: string,
    readonly priority: number,
    readonly match: string | undefined,
    readonly timeoutMs: number,
    readonly failOpen: boolean,
    readonly fn: InProcessHandler | undefined,
    readonly remote: RemoteHookTarget | undefined,
    readonly index: number,
  ) {
    if (match !== undefined) this.matcher = compileGlob(match);
    if (remote !== undefined) this.group = remote;
  }

  stats(withHistogram = false): HandlerStats {
    return {
      event: this.event, plugin: this.plugin, index: this.index, priority: this.priority,
      ...(this.match !== undefined ? { match: this.match } : {}),
      calls: this.calls, errors: this.errors, timeouts: this.timeouts, denied: this.denied, skipped: this.skipped,
      latency: this.latency.summary(),
      ...(withHistogram ? { histogram: this.latency.toJSON() } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }
}

/** Synchronous in-process handlers are timed on one dispatch in this many (a power of two). */
export const SAMPLE_EVERY = 16;

const EMPTY_CTX: HookContext = Object.freeze({}) as HookContext;
const NO_OPTIONS: DispatchOptions = Object.freeze({});

/** One dispatch's transport and books: how handlers are reached, what is counted and traced. */
class Dispatch implements HookIo<Handler> {
  /** Handlers in the order they were traced (actions finish in any order). */
  readonly traced: Handler[] | undefined;
  /** What plugin handlers see: the context plus `call`, the request's serialisable part (made on first use). */
  private sentCtx: HookContext | undefined;

  constructor(
    readonly event: string,
    readonly ctx: HookContext,
    readonly callCtx: HookCallContext | undefined,
    readonly trace: HandlerOutcome[] | undefined,
    readonly onError: DispatcherOptions['onHandlerError'],
  ) {
    this.traced = trace ? [] : undefined;
  }

  call(h: Handler, value: unknown): unknown {
    return h.fn!(value, this.ctx, this.callCtx);
  }

  callGroup(kind: HookKind, batch: Handler[], value: unknown): Promise<HookBatchResult> {
    const params: HookBatchParams = {
      event: this.event, kind, value, ctx: (this.sentCtx ??= this.callCtx ? { ...this.ctx, call: callInfo(this.callCtx) } : this.ctx),
      handlers: batch.map((h) => ({ index: h.index, priority: h.priority, timeoutMs: h.timeoutMs, failOpen: h.failOpen })),
    };
    // Slack for the round trip; a plugin stuck past it (a busy loop) is killed by its supervisor.
    const budget = (kind === 'action' ? Math.max(...batch.map((h) => h.timeoutMs)) : batch.reduce((s, h) => s + h.timeoutMs, 0)) + 1000;
    const p = batch[0]!.remote!.invokeHooks(params, budget);
    const trace = this.callCtx?.trace;
    return trace === undefined ? p : spanPromise(childSpan(trace, `ipc hooks ${batch[0]!.plugin}`, 'client', { 'pm.plugin.name': batch[0]!.plugin, 'pm.hook.event': this.event, 'pm.ipc.method': 'hooks' }), p);
  }

  record(h: Handler, outcome: Outcome, ms: number | undefined, error?: HookError, reason?: string): void {
    if (ms !== undefined && outcome !== 'skipped') recordHookRun(this.callCtx?.trace, h.event, h.plugin, outcome, ms, error?.message);
    if (outcome === 'skipped') h.skipped++;
    else {
      h.calls++;
      if (ms !== undefined) h.latency.record(ms);
      if (outcome === 'denied') h.denied++;
      else if (error !== undefined) {
        if (error.outcome === 'timeout') h.timeouts++;
        else h.errors++;
        h.lastError = error.message;
        this.onError?.({ event: this.event, plugin: h.plugin, outcome: error.outcome, message: error.message, ...(this.callCtx ? { call: this.callCtx } : {}) });
      }
    }
    if (this.trace !== undefined) {
      this.traced!.push(h);
      this.trace.push({
        plugin: h.plugin, priority: h.priority, match: h.match, outcome, ms: ms ?? 0,
        ...(error ? { error: error.message } : {}), ...(reason !== undefined ? { reason } : {}),
      });
    }
  }

  /** The dispatch's result, with the trace in run order. */
  result<T>(r: ChainResult, list?: readonly Handler[]): DispatchResult<T> {
    if (this.trace === undefined) return r as DispatchResult<T>;
    let handlers = this.trace;
    if (list) {
      const pos = new Map(list.map((h, i) => [h, i]));
      handlers = this.trace.map((o, i) => ({ o, p: pos.get(this.traced![i]!)! })).sort((a, b) => a.p - b.p).map((x) => x.o);
    }
    return { ...(r as DispatchResult<T>), handlers };
  }
}

/** Registers hook handlers and runs events by their kind's rules (rules.ts), with stats per handler. */
export class HookDispatcher {
  private readonly order = new HookOrder<Handler>();
  private readonly declared = new Map<string, { kind: HookKind; emitters: Set<string> }>();
  private readonly running = new Running();
  private dispatches = 0;
  private readonly handlerTimeoutMs: number;
  private readonly guardFailOpen: boolean;

  constructor(private readonly opts: DispatcherOptions = {}) {
    this.handlerTimeoutMs = opts.handlerTimeoutMs ?? 5000;
    this.guardFailOpen = opts.guardFailOpen ?? false;
  }

  /** The kind of `event`: built-in, declared, or `action` for any other custom event. */
  kindOf(event: string): HookKind {
    if (isBuiltinEvent(event)) return BUILTIN_EVENTS[event];
    return this.declared.get(event)?.kind ?? 'action';
  }

  /** Records that `plugin` emits the custom event `event` (from `contributes.events`). */
  declareEvent(event: string, plugin: string, kind: HookKind = 'action'): void {
    const d = this.declared.get(event) ?? { kind, emitters: new Set<string>() };
    d.emitters.add(plugin);
    this.declared.set(event, d);
  }

  /** Every known event: the built-ins, then declared custom ones, with their emitters. */
  events(): { event: string; kind: HookKind; builtin: boolean; emitters: string[] }[] {
    const out: { event: string; kind: HookKind; builtin: boolean; emitters: string[] }[] = Object.keys(BUILTIN_EVENTS).map((event) => ({
      event, kind: this.kindOf(event), builtin: true, emitters: ['pm'],
    }));
    for (const [event, d] of [...this.declared].sort(([a], [b]) => a.localeCompare(b))) {
      if (!isBuiltinEvent(event)) out.push({ event, kind: d.kind, builtin: false, emitters: [...d.emitters].sort() });
    }
    return out;
  }

  /** Adds a handler; returns a function that removes it (safe to call during a dispatch). */
  register(spec: HandlerSpec): () => void {
    if (!spec.fn === !spec.remote) throw new TypeError('a hook handler needs exactly one of fn or remote');
    const h = new Handler(
      spec.plugin, spec.event, spec.priority ?? DEFAULT_PRIORITY, spec.match?.tool,
      spec.timeoutMs ?? this.handlerTimeoutMs, spec.failOpen ?? this.guardFailOpen,
      spec.fn, spec.remote, spec.index ?? 0,
    );
    this.order.add(spec.event, h);
    return () => this.order.remove(h.event, h);
  }

  /** Removes every handler of `plugin` (when it is disabled or reloaded). */
  removePlugin(plugin: string): void {
    for (const event of this.order.events()) for (const h of this.order.get(event)) if (h.plugin === plugin) this.order.remove(event, h);
  }

  /** Handlers of `event` in run order: priority ascending, ties in registration order (cached). */
  handlers(event: string): readonly Handler[] {
    return this.order.get(event);
  }

  /** Whether `event` has any handler (cached with the run order): callers skip the dispatch when it has none. */
  has(event: string): boolean {
    return this.order.get(event).length > 0;
  }

  /** Per-handler stats for every registered handler. */
  stats(withHistogram = false): HandlerStats[] {
    return this.order.events().flatMap((event) => this.order.get(event).map((h) => h.stats(withHistogram)));
  }

  /** Resolves when every dispatch still running (actions included) has settled. */
  drain(): Promise<void> {
    return this.running.drain();
  }

  /**
   * Runs `event`'s handlers over `value` by its kind's rules. Reading the clock costs more than a
   * no-op handler, so synchronous in-process handlers are timed on one dispatch in SAMPLE_EVERY
   * (always when tracing); counts stay exact, async and plugin handlers are always timed.
   */
  dispatch<T = unknown>(event: string, value: T, ctx: HookContext = EMPTY_CTX, options: DispatchOptions = NO_OPTIONS): Promise<DispatchResult<T>> {
    const list = this.order.get(event);
    const trace: HandlerOutcome[] | undefined = options.trace ? [] : undefined;
    if (list.length === 0) return Promise.resolve(trace ? { value, handlers: trace } : { value });
    const kind = this.kindOf(event);
    const io = new Dispatch(event, ctx, options.call, trace, this.opts.onHandlerError);
    if (kind === 'action') return this.running.track(runAll(list, value, ctx, io).then(() => io.result<T>({ value }, list)));
    // A traced request times every handler, so each gets its span.
    const r = runChain(kind, list, value, ctx, io, trace !== undefined || options.call?.trace !== undefined || (++this.dispatches & (SAMPLE_EVERY - 1)) === 0);
    if (r instanceof Promise) return this.running.track(r.then((x) => io.result<T>(x)));
    return Promise.resolve(io.result<T>(r));
  }
}
