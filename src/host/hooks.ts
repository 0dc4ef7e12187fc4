/**
 * The hook dispatcher (DESIGN §5), in the style of Vite's plugin container: explicit rules
 * per kind, ordering cached per event, `match` checked here before any process is touched,
 * consecutive handlers of one plugin sent in one round trip, stats per handler.
 */
import { performance } from 'node:perf_hooks';
import { BUILTIN_EVENTS, isBuiltinEvent, type HookKind } from '../core/hooks/events.js';
import { compileGlob } from './glob.js';
import { Histogram, type LatencySummary } from './metrics.js';
import type { HookBatchResult } from './ipc.js';

export type { HookKind };
export type { HookBatchResult };

/** What a handler sees besides the value: the tool name for tool events, and anything the emitter adds. */
export interface HookContext {
  tool?: string;
  [key: string]: unknown;
}

export interface HookBatchParams {
  event: string;
  kind: HookKind;
  value: unknown;
  ctx: HookContext;
  handlers: { index: number; priority: number; timeoutMs: number; failOpen?: boolean }[];
}

/** A plugin process that can run several of its handlers for one event in one round trip. */
export interface RemoteHookTarget {
  readonly plugin: string;
  invokeHooks(params: HookBatchParams, timeoutMs: number): Promise<HookBatchResult>;
}

export type InProcessHandler = (value: any, ctx: HookContext) => unknown;

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

export type Outcome = 'ok' | 'error' | 'timeout' | 'denied' | 'skipped';

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
  /** Each handler's outcome, in order, when the dispatch asked for a trace. */
  handlers?: HandlerOutcome[];
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
  lastError?: string;
}

export interface DispatcherOptions {
  /** Per-handler timeout when the handler gives none (default 5000 ms). */
  handlerTimeoutMs?: number;
  /** Let calls through when a guard throws or times out (default false: fail closed). */
  guardFailOpen?: boolean;
  /** Told about every handler error or timeout (the host logs it, tagged with the plugin). */
  onHandlerError?: (info: { event: string; plugin: string; outcome: 'error' | 'timeout'; message: string }) => void;
}

/** A registered handler. Fields are plain for speed; treat them as read-only outside this file. */
export class Handler {
  removed = false;
  calls = 0;
  errors = 0;
  timeouts = 0;
  denied = 0;
  skipped = 0;
  lastError?: string;
  readonly latency = new Histogram();
  readonly matcher?: (name: string) => boolean;

  constructor(
    readonly plugin: string,
    readonly event: string,
    readonly priority: number,
    readonly seq: number,
    readonly match: string | undefined,
    readonly timeoutMs: number,
    readonly failOpen: boolean,
    readonly fn: InProcessHandler | undefined,
    readonly remote: RemoteHookTarget | undefined,
    readonly index: number,
  ) {
    if (match !== undefined) this.matcher = compileGlob(match);
  }

  stats(): HandlerStats {
    return {
      event: this.event, plugin: this.plugin, index: this.index, priority: this.priority,
      ...(this.match !== undefined ? { match: this.match } : {}),
      calls: this.calls, errors: this.errors, timeouts: this.timeouts, denied: this.denied, skipped: this.skipped,
      latency: this.latency.summary(),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }
}

/** Synchronous in-process handlers are timed on one dispatch in this many (a power of two). */
export const SAMPLE_EVERY = 16;

const EMPTY_CTX: HookContext = Object.freeze({}) as HookContext;

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function';
}

function denyReason(v: unknown): string | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  const d = (v as { deny?: unknown }).deny;
  if (!d) return undefined;
  return typeof d === 'string' ? d : 'denied';
}

function toolName(ctx: HookContext, value: unknown): string {
  if (typeof ctx.tool === 'string') return ctx.tool;
  const t = value !== null && typeof value === 'object' ? (value as { tool?: unknown }).tool : undefined;
  return typeof t === 'string' ? t : '';
}

class HandlerTimeout extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
  }
}

function withTimeout(p: PromiseLike<unknown>, ms: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new HandlerTimeout(ms)), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
  });
}

/** Runs hook handlers by kind: filter (chain), guard (stop at first veto), action (all at once). */
export class HookDispatcher {
  private readonly byEvent = new Map<string, Handler[]>();
  private readonly ordered = new Map<string, readonly Handler[]>();
  private readonly declared = new Map<string, { kind: HookKind; emitters: Set<string> }>();
  private readonly running = new Set<Promise<unknown>>();
  private seq = 0;
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
      spec.plugin, spec.event, spec.priority ?? 10, this.seq++, spec.match?.tool,
      spec.timeoutMs ?? this.handlerTimeoutMs,
      spec.failOpen ?? this.guardFailOpen, spec.fn, spec.remote, spec.index ?? 0,
    );
    const list = this.byEvent.get(spec.event) ?? [];
    list.push(h);
    this.byEvent.set(spec.event, list);
    this.ordered.delete(spec.event);
    return () => this.remove(h);
  }

  /** Removes every handler of `plugin` (when it is disabled or reloaded). */
  removePlugin(plugin: string): void {
    for (const list of this.byEvent.values()) for (const h of [...list]) if (h.plugin === plugin) this.remove(h);
  }

  private remove(h: Handler): void {
    if (h.removed) return;
    // A dispatch already holding the old ordered array sees the flag and skips it.
    h.removed = true;
    const list = this.byEvent.get(h.event);
    if (list) {
      const i = list.indexOf(h);
      if (i >= 0) list.splice(i, 1);
    }
    this.ordered.delete(h.event);
  }

  /** Handlers of `event` in run order: priority ascending, ties in registration order (cached). */
  handlers(event: string): readonly Handler[] {
    let list = this.ordered.get(event);
    if (!list) {
      // A new array each time the set changes: a running dispatch keeps iterating its own copy.
      list = [...(this.byEvent.get(event) ?? [])].sort((a, b) => a.priority - b.priority || a.seq - b.seq);
      this.ordered.set(event, list);
    }
    return list;
  }

  /** Whether `event` has any handler (cached with the run order): callers skip the dispatch when it has none. */
  has(event: string): boolean {
    return this.handlers(event).length > 0;
  }

  /** Per-handler stats for every registered handler. */
  stats(): HandlerStats[] {
    const out: HandlerStats[] = [];
    for (const event of [...this.byEvent.keys()].sort()) for (const h of this.handlers(event)) out.push(h.stats());
    return out;
  }

  /** Resolves when every dispatch still running (actions included) has settled. */
  async drain(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  /**
   * Runs `event`'s handlers over `value`. In-process handlers that return synchronously
   * run in a tight loop; the first promise or plugin process moves the rest to the async path.
   */
  dispatch<T = unknown>(event: string, value: T, ctx: HookContext = EMPTY_CTX, options: { trace?: boolean } = {}): Promise<DispatchResult<T>> {
    const list = this.handlers(event);
    const kind = this.kindOf(event);
    const trace: HandlerOutcome[] | undefined = options.trace ? [] : undefined;
    if (kind === 'action') return this.track(this.runActions(event, list, value, ctx, trace)) as Promise<DispatchResult<T>>;
    let v: unknown = value;
    // Reading the clock costs more than a no-op handler (about 90 ns on a virtual machine),
    // so synchronous in-process handlers are timed on one dispatch in SAMPLE_EVERY (and
    // always when tracing); counts stay exact. Async and plugin handlers are always timed.
    const timed = trace !== undefined || (++this.dispatches & (SAMPLE_EVERY - 1)) === 0;
    let t = timed ? performance.now() : 0;
    for (let i = 0; i < list.length; i++) {
      const h = list[i]!;
      if (h.removed) continue;
      if (h.matcher !== undefined && !h.matcher(toolName(ctx, v))) {
        h.skipped++;
        trace?.push({ plugin: h.plugin, priority: h.priority, match: h.match, outcome: 'skipped', ms: 0 });
        continue;
      }
      if (h.fn === undefined) return this.track(this.runChain(event, kind, list, i, v, ctx, trace)) as Promise<DispatchResult<T>>;
      let r: unknown;
      try {
        r = h.fn(v, ctx);
      } catch (err) {
        return this.track(this.runChain(event, kind, list, i, v, ctx, trace, { thrown: err, t0: t || performance.now() })) as Promise<DispatchResult<T>>;
      }
      if (isThenable(r) || (kind === 'guard' && denyReason(r) !== undefined)) {
        return this.track(this.runChain(event, kind, list, i, v, ctx, trace, { returned: r, t0: t || performance.now() })) as Promise<DispatchResult<T>>;
      }
      h.calls++;
      if (timed) {
        const now = performance.now();
        h.latency.record(now - t);
        if (trace) trace.push({ plugin: h.plugin, priority: h.priority, match: h.match, outcome: 'ok', ms: now - t });
        t = now;
      }
      if (r !== undefined) v = r;
    }
    return Promise.resolve(trace ? { value: v as T, handlers: trace } : { value: v as T });
  }

  private track<R>(p: Promise<R>): Promise<R> {
    this.running.add(p);
    const done = () => this.running.delete(p);
    p.then(done, done);
    return p;
  }

  private fail(h: Handler, event: string, err: unknown): { outcome: 'error' | 'timeout'; message: string } {
    const code = (err as { code?: unknown })?.code;
    const timedOut = err instanceof HandlerTimeout || code === 'HOOK_TIMEOUT' || code === 'IPC_TIMEOUT' || code === 'PLUGIN_TIMEOUT';
    const message = `${h.plugin}: ${(err as Error)?.message ?? String(err)}`;
    if (timedOut) h.timeouts++;
    else h.errors++;
    h.lastError = message;
    const outcome = timedOut ? 'timeout' as const : 'error' as const;
    this.opts.onHandlerError?.({ event, plugin: h.plugin, outcome, message });
    return { outcome, message };
  }

  /** Calls one in-process handler with its timeout; never throws. */
  private async callLocal(h: Handler, value: unknown, ctx: HookContext, pre?: { thrown?: unknown; returned?: unknown; t0: number }): Promise<{ ok: true; v: unknown; ms: number } | { ok: false; err: unknown; ms: number }> {
    const t0 = pre?.t0 ?? performance.now();
    try {
      if (pre && 'thrown' in pre) throw pre.thrown;
      let r = pre ? pre.returned : h.fn!(value, ctx);
      if (isThenable(r)) r = await withTimeout(r, h.timeoutMs);
      return { ok: true, v: r, ms: performance.now() - t0 };
    } catch (err) {
      return { ok: false, err, ms: performance.now() - t0 };
    }
  }

  /** Calls a run of one plugin's handlers in one round trip; a failed trip fails each of them. */
  private async callRemote(event: string, kind: HookKind, batch: Handler[], value: unknown, ctx: HookContext): Promise<HookBatchResult | { error: unknown; ms: number }> {
    const params: HookBatchParams = {
      event, kind, value, ctx,
      handlers: batch.map((h) => ({ index: h.index, priority: h.priority, timeoutMs: h.timeoutMs, failOpen: h.failOpen })),
    };
    // Slack for the round trip; a plugin stuck past it (a busy loop) is killed by the supervisor.
    const budget = (kind === 'action' ? Math.max(...batch.map((h) => h.timeoutMs)) : batch.reduce((s, h) => s + h.timeoutMs, 0)) + 1000;
    const t0 = performance.now();
    try {
      return await batch[0]!.remote!.invokeHooks(params, budget);
    } catch (error) {
      return { error, ms: performance.now() - t0 };
    }
  }

  private async runChain(
    event: string, kind: HookKind, list: readonly Handler[], start: number, value: unknown, ctx: HookContext,
    trace: HandlerOutcome[] | undefined, pre?: { thrown?: unknown; returned?: unknown; t0: number },
  ): Promise<DispatchResult> {
    let v = value;
    const out = (h: Handler, outcome: Outcome, ms: number, extra: { error?: string; reason?: string } = {}) =>
      trace?.push({ plugin: h.plugin, priority: h.priority, match: h.match, outcome, ms, ...extra });
    const result = (denied?: { plugin: string; reason: string }): DispatchResult => ({
      value: v, ...(denied ? { denied } : {}), ...(trace ? { handlers: trace } : {}),
    });
    for (let i = start; i < list.length; i++) {
      const h = list[i]!;
      if (h.removed) continue;
      if (h.matcher !== undefined && !h.matcher(toolName(ctx, v))) {
        h.skipped++;
        out(h, 'skipped', 0);
        continue;
      }
      if (h.remote) {
        // One round trip for this plugin's consecutive handlers (its only ones between others').
        const batch = [h];
        let j = i + 1;
        for (; j < list.length && list[j]!.remote === h.remote; j++) {
          const n = list[j]!;
          if (n.removed) continue;
          if (n.matcher !== undefined && !n.matcher(toolName(ctx, v))) {
            n.skipped++;
            out(n, 'skipped', 0);
            continue;
          }
          batch.push(n);
        }
        i = j - 1;
        const r = await this.callRemote(event, kind, batch, v, ctx);
        if ('error' in r) {
          for (const b of batch) {
            const f = this.fail(b, event, r.error);
            b.calls++;
            b.latency.record(r.ms / batch.length);
            out(b, f.outcome, r.ms / batch.length, { error: f.message });
          }
          if (kind === 'guard' && batch.some((b) => !b.failOpen)) {
            return result({ plugin: h.plugin, reason: `guard of plugin ${h.plugin} failed: ${(r.error as Error)?.message ?? String(r.error)}` });
          }
          continue;
        }
        for (const res of r.results) {
          const b = batch.find((x) => x.index === res.index) ?? h;
          b.calls++;
          b.latency.record(res.ms);
          if (res.outcome === 'error' || res.outcome === 'timeout') {
            const message = `${b.plugin}: ${res.error ?? res.outcome}`;
            if (res.outcome === 'timeout') b.timeouts++;
            else b.errors++;
            b.lastError = message;
            this.opts.onHandlerError?.({ event, plugin: b.plugin, outcome: res.outcome, message });
            out(b, res.outcome, res.ms, { error: message });
          } else if (res.outcome === 'denied') {
            b.denied++;
            out(b, 'denied', res.ms, { reason: res.reason });
          } else out(b, 'ok', res.ms);
        }
        v = r.value;
        if (r.stopped) {
          const last = r.results[r.results.length - 1];
          const reason = last?.outcome === 'denied' ? (last.reason ?? 'denied') : `guard of plugin ${h.plugin} failed: ${last?.error ?? 'unknown error'}`;
          return result({ plugin: h.plugin, reason });
        }
        continue;
      }
      const r = await this.callLocal(h, v, ctx, i === start ? pre : undefined);
      h.calls++;
      h.latency.record(r.ms);
      if (!r.ok) {
        const f = this.fail(h, event, r.err);
        out(h, f.outcome, r.ms, { error: f.message });
        if (kind === 'guard' && !h.failOpen) return result({ plugin: h.plugin, reason: `guard of plugin ${h.plugin} failed: ${f.message.slice(h.plugin.length + 2)}` });
        continue;
      }
      if (kind === 'guard') {
        const reason = denyReason(r.v);
        if (reason !== undefined) {
          h.denied++;
          out(h, 'denied', r.ms, { reason });
          return result({ plugin: h.plugin, reason });
        }
      }
      out(h, 'ok', r.ms);
      if (r.v !== undefined) v = r.v;
    }
    return result();
  }

  private async runActions(event: string, list: readonly Handler[], value: unknown, ctx: HookContext, trace: HandlerOutcome[] | undefined): Promise<DispatchResult> {
    const slots: (HandlerOutcome | undefined)[] = [];
    const jobs: Promise<void>[] = [];
    const groups = new Map<RemoteHookTarget, { h: Handler; slot: number }[]>();
    for (const h of list) {
      if (h.removed) continue;
      const slot = slots.push(undefined) - 1;
      const base = { plugin: h.plugin, priority: h.priority, match: h.match };
      if (h.matcher !== undefined && !h.matcher(toolName(ctx, value))) {
        h.skipped++;
        slots[slot] = { ...base, outcome: 'skipped', ms: 0 };
        continue;
      }
      if (h.remote) {
        const g = groups.get(h.remote) ?? [];
        g.push({ h, slot });
        groups.set(h.remote, g);
        continue;
      }
      jobs.push(this.callLocal(h, value, ctx).then((r) => {
        h.calls++;
        h.latency.record(r.ms);
        if (r.ok) slots[slot] = { ...base, outcome: 'ok', ms: r.ms };
        else {
          const f = this.fail(h, event, r.err);
          slots[slot] = { ...base, outcome: f.outcome, ms: r.ms, error: f.message };
        }
      }));
    }
    for (const g of groups.values()) {
      const batch = g.map((x) => x.h);
      jobs.push(this.callRemote(event, 'action', batch, value, ctx).then((r) => {
        g.forEach(({ h, slot }, k) => {
          const base = { plugin: h.plugin, priority: h.priority, match: h.match };
          h.calls++;
          if ('error' in r) {
            h.latency.record(r.ms);
            const f = this.fail(h, event, r.error);
            slots[slot] = { ...base, outcome: f.outcome, ms: r.ms, error: f.message };
            return;
          }
          const res = r.results[k];
          const ms = res?.ms ?? 0;
          h.latency.record(ms);
          if (!res || res.outcome === 'ok' || res.outcome === 'denied') slots[slot] = { ...base, outcome: 'ok', ms };
          else {
            const message = `${h.plugin}: ${res.error ?? res.outcome}`;
            if (res.outcome === 'timeout') h.timeouts++;
            else h.errors++;
            h.lastError = message;
            this.opts.onHandlerError?.({ event, plugin: h.plugin, outcome: res.outcome, message });
            slots[slot] = { ...base, outcome: res.outcome, ms, error: message };
          }
        });
      }));
    }
    await Promise.all(jobs);
    if (trace) for (const s of slots) if (s) trace.push(s);
    return trace ? { value, handlers: trace } : { value };
  }
}
