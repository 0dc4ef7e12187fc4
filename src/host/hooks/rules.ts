/**
 * The rules of hook dispatch (DESIGN §5 "Hooks"), one module for the host's dispatcher and the
 * plugin runner, after Vite's plugin container: run order, `match`, how each kind runs,
 * fail-open/closed and timeouts. How a handler is reached and what is counted stay with the
 * caller (`HookIo`). The sandboxed runner reads this file: it imports only Node built-ins.
 */
import { performance } from 'node:perf_hooks';
import type { HookKind } from '../../core/hooks/events.js';

export type { HookKind };

/** The priority of a handler that gives none. */
export const DEFAULT_PRIORITY = 10;

/** What became of one handler in one dispatch. */
export type Outcome = 'ok' | 'error' | 'timeout' | 'denied' | 'skipped';

/** What a handler sees besides the value: the tool name for tool events, and anything the emitter adds. */
export interface HookContext {
  tool?: string;
  [key: string]: unknown;
}

/** What the rules need to know about one handler. */
export interface RuleHandler {
  readonly plugin: string;
  readonly priority: number;
  readonly timeoutMs: number;
  /** Guards only: let the value through when this handler throws or times out. */
  readonly failOpen: boolean;
  /** The test compiled from `match`; a handler that fails it is skipped before anything is called. */
  readonly matcher?: (tool: string) => boolean;
  /** Handlers with the same group (a plugin process) run consecutive stretches in one round trip. */
  readonly group?: object;
  /** Set when removed: a dispatch already holding the old order skips it. */
  removed: boolean;
}

/** One round trip's request: a stretch of one plugin's handlers for one event (host → runner). */
export interface HookBatchParams {
  event: string;
  kind: HookKind;
  value: unknown;
  ctx: HookContext;
  handlers: { index: number; priority: number; timeoutMs: number; failOpen?: boolean }[];
}

/** Its answer, made by the same rules on the far side: one result per handler that ran, in order. */
export interface HookBatchResult {
  value: unknown;
  results: { index: number; outcome: 'ok' | 'error' | 'timeout' | 'denied'; ms: number; error?: string; reason?: string }[];
  /** The chain stopped at the last result (a veto, or a guard that failed closed). */
  stopped?: boolean;
}

/** A handler's failure, tagged with its plugin (the message starts with the plugin's name). */
export class HookError extends Error {
  constructor(readonly plugin: string, readonly outcome: 'error' | 'timeout', readonly detail: string) {
    super(`${plugin}: ${detail}`);
    this.name = 'HookError';
  }
}

/** How a caller reaches handlers and keeps its books; the rules decide who runs, when, with what. */
export interface HookIo<H extends RuleHandler> {
  /** Calls one ungrouped handler with the current value; may answer synchronously or throw. */
  call(h: H, value: unknown): unknown;
  /** Calls a stretch of one group's handlers in one round trip (required when handlers have groups). */
  callGroup?(kind: HookKind, batch: H[], value: unknown): Promise<HookBatchResult>;
  /** Told when a handler's time is up (the runner aborts its signal). */
  onTimeout?(h: H): void;
  /** Told each handler's outcome once; `ms` is undefined when the clock was not read. */
  record(h: H, outcome: Outcome, ms: number | undefined, error?: HookError, reason?: string): void;
}

/** The result of a filter or guard chain. */
export interface ChainResult {
  value: unknown;
  /** Set when a guard vetoed or failed closed. */
  denied?: { plugin: string; reason: string };
}

/** Handlers of each event in run order: priority ascending, ties in registration order, cached until the set changes. */
export class HookOrder<H extends RuleHandler> {
  private readonly added = new Map<string, H[]>();
  private readonly ordered = new Map<string, readonly H[]>();

  /** Adds `h` under `event` (after every handler already there). */
  add(event: string, h: H): void {
    const list = this.added.get(event);
    if (list) list.push(h);
    else this.added.set(event, [h]);
    this.ordered.delete(event);
  }

  /** Removes `h`; a dispatch already running skips it. */
  remove(event: string, h: H): void {
    h.removed = true;
    const list = this.added.get(event);
    const i = list ? list.indexOf(h) : -1;
    if (i >= 0) list!.splice(i, 1);
    if (list && list.length === 0) this.added.delete(event);
    this.ordered.delete(event);
  }

  /** `event`'s handlers in run order; a new array whenever the set changes, so running dispatches keep theirs. */
  get(event: string): readonly H[] {
    let list = this.ordered.get(event);
    if (!list) {
      // Array.prototype.sort is stable: equal priorities keep registration order.
      list = [...(this.added.get(event) ?? [])].sort((a, b) => a.priority - b.priority);
      this.ordered.set(event, list);
    }
    return list;
  }

  /** Events that have handlers, sorted. */
  events(): string[] {
    return [...this.added.keys()].sort();
  }
}

/** Dispatches still running, so shutdown can wait for them (actions included). */
export class Running {
  private readonly set = new Set<Promise<unknown>>();

  /** Tracks `p` until it settles. */
  track<T>(p: Promise<T>): Promise<T> {
    this.set.add(p);
    const done = () => this.set.delete(p);
    p.then(done, done);
    return p;
  }

  /** Resolves when everything tracked, including what was started meanwhile, has settled. */
  async drain(): Promise<void> {
    while (this.set.size) await Promise.allSettled([...this.set]);
  }
}

/** The tool name a `match` is checked against: the context's, else the value's `tool`. */
export function toolName(ctx: HookContext, value: unknown): string {
  if (typeof ctx.tool === 'string') return ctx.tool;
  const t = value !== null && typeof value === 'object' ? (value as { tool?: unknown }).tool : undefined;
  return typeof t === 'string' ? t : '';
}

/** A guard's veto: the reason of `{ deny }`, or undefined when the value allows. */
export function denyReason(v: unknown): string | undefined {
  if (v === null || typeof v !== 'object') return undefined;
  const d = (v as { deny?: unknown }).deny;
  if (!d) return undefined;
  return typeof d === 'string' ? d : 'denied';
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function';
}

const TIMEOUT_CODES = new Set(['HOOK_TIMEOUT', 'IPC_TIMEOUT', 'PLUGIN_TIMEOUT']);

/** Turns what a handler (or its round trip) threw into a HookError tagged with its plugin. */
export function hookError(plugin: string, err: unknown): HookError {
  const code = (err as { code?: unknown } | null)?.code;
  const detail = err instanceof HookError ? err.detail : ((err as Error | null)?.message ?? String(err));
  return new HookError(plugin, typeof code === 'string' && TIMEOUT_CODES.has(code) ? 'timeout' : 'error', detail);
}

class Timeout extends Error {
  readonly code = 'HOOK_TIMEOUT';
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
  }
}

type Settled = { ok: true; v: unknown; ms: number } | { ok: false; err: unknown; ms: number };

/** Waits for one handler's answer `r` (started at t0) within its timeout; never rejects. */
function settle<H extends RuleHandler>(h: H, r: unknown, t0: number, io: HookIo<H>): Promise<Settled> {
  if (!isThenable(r)) return Promise.resolve({ ok: true, v: r, ms: performance.now() - t0 });
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      io.onTimeout?.(h);
      resolve({ ok: false, err: new Timeout(h.timeoutMs), ms: performance.now() - t0 });
    }, h.timeoutMs);
    r.then(
      (v) => { clearTimeout(timer); resolve({ ok: true, v, ms: performance.now() - t0 }); },
      (err) => { clearTimeout(timer); resolve({ ok: false, err, ms: performance.now() - t0 }); },
    );
  });
}

/** Calls one handler and waits for it within its timeout; never rejects. */
function attempt<H extends RuleHandler>(h: H, value: unknown, io: HookIo<H>): Promise<Settled> {
  const t0 = performance.now();
  try {
    return settle(h, io.call(h, value), t0, io);
  } catch (err) {
    return Promise.resolve({ ok: false, err, ms: performance.now() - t0 });
  }
}

function failedClosed(h: RuleHandler, detail: string): ChainResult['denied'] {
  return { plugin: h.plugin, reason: `guard of plugin ${h.plugin} failed: ${detail}` };
}

/** Records a failure; returns the denial when a guard fails closed on it. */
function fail<H extends RuleHandler>(kind: HookKind, h: H, err: unknown, ms: number | undefined, io: HookIo<H>): ChainResult['denied'] | undefined {
  const e = hookError(h.plugin, err);
  io.record(h, e.outcome, ms, e);
  return kind === 'guard' && !h.failOpen ? failedClosed(h, e.detail) : undefined;
}

/**
 * Runs a filter or guard chain: handlers in order, each given the previous value (undefined
 * keeps it); a guard stops at the first veto, and at the first failure unless it fails open.
 * Synchronous handlers run in a tight loop that reads the clock only when `timed`; the first
 * promise or grouped handler moves the rest to the async path, which always times.
 */
export function runChain<H extends RuleHandler>(kind: HookKind, list: readonly H[], value: unknown, ctx: HookContext, io: HookIo<H>, timed: boolean): ChainResult | Promise<ChainResult> {
  let v = value;
  let t = timed ? performance.now() : 0;
  for (let i = 0; i < list.length; i++) {
    const h = list[i]!;
    if (h.removed) continue;
    if (h.matcher !== undefined && !h.matcher(toolName(ctx, v))) {
      io.record(h, 'skipped', 0);
      continue;
    }
    if (h.group !== undefined) return chainAsync(kind, list, i, v, ctx, io);
    let r: unknown;
    try {
      r = io.call(h, v);
    } catch (err) {
      const denied = fail(kind, h, err, timed ? performance.now() - t : undefined, io);
      if (denied) return { value: v, denied };
      if (timed) t = performance.now();
      continue;
    }
    if (isThenable(r)) return chainAsync(kind, list, i, v, ctx, io, settle(h, r, t || performance.now(), io));
    let ms: number | undefined;
    if (timed) {
      const now = performance.now();
      ms = now - t;
      t = now;
    }
    if (kind === 'guard') {
      const reason = denyReason(r);
      if (reason !== undefined) {
        io.record(h, 'denied', ms, undefined, reason);
        return { value: v, denied: { plugin: h.plugin, reason } };
      }
    }
    io.record(h, 'ok', ms);
    if (r !== undefined) v = r;
  }
  return { value: v };
}

async function chainAsync<H extends RuleHandler>(
  kind: HookKind, list: readonly H[], start: number, value: unknown, ctx: HookContext, io: HookIo<H>, pending?: Promise<Settled>,
): Promise<ChainResult> {
  let v = value;
  for (let i = start; i < list.length; i++) {
    const h = list[i]!;
    let s: Settled;
    if (pending !== undefined && i === start) s = await pending;
    else {
      if (h.removed) continue;
      if (h.matcher !== undefined && !h.matcher(toolName(ctx, v))) {
        io.record(h, 'skipped', 0);
        continue;
      }
      if (h.group !== undefined) {
        const batch = [h];
        let j = i + 1;
        for (; j < list.length && list[j]!.group === h.group; j++) {
          const n = list[j]!;
          if (n.removed) continue;
          if (n.matcher !== undefined && !n.matcher(toolName(ctx, v))) io.record(n, 'skipped', 0);
          else batch.push(n);
        }
        i = j - 1;
        const r = await runGroup(kind, batch, v, io);
        if (r.denied) return r;
        v = r.value;
        continue;
      }
      s = await attempt(h, v, io);
    }
    if (!s.ok) {
      const denied = fail(kind, h, s.err, s.ms, io);
      if (denied) return { value: v, denied };
      continue;
    }
    if (kind === 'guard') {
      const reason = denyReason(s.v);
      if (reason !== undefined) {
        io.record(h, 'denied', s.ms, undefined, reason);
        return { value: v, denied: { plugin: h.plugin, reason } };
      }
    }
    io.record(h, 'ok', s.ms);
    if (s.v !== undefined) v = s.v;
  }
  return { value: v };
}

/** One round trip for a stretch of one group's handlers; a failed trip fails each of them. */
async function runGroup<H extends RuleHandler>(kind: HookKind, batch: H[], value: unknown, io: HookIo<H>): Promise<ChainResult> {
  const first = batch[0]!;
  const t0 = performance.now();
  let answer: HookBatchResult;
  try {
    answer = await io.callGroup!(kind, batch, value);
  } catch (err) {
    const ms = (performance.now() - t0) / batch.length;
    let closed = false;
    for (const h of batch) if (fail(kind, h, err, ms, io)) closed = true;
    return closed ? { value, denied: failedClosed(first, hookError(first.plugin, err).detail) } : { value };
  }
  const results = Array.isArray(answer?.results) ? answer.results : [];
  // Results come back in the order sent, one per handler that ran.
  for (let k = 0; k < batch.length && k < results.length; k++) {
    const h = batch[k]!;
    const res = results[k]!;
    const ms = typeof res.ms === 'number' ? res.ms : 0;
    if (res.outcome === 'error' || res.outcome === 'timeout') io.record(h, res.outcome, ms, new HookError(h.plugin, res.outcome, String(res.error ?? res.outcome)));
    else if (res.outcome === 'denied' && kind === 'guard') io.record(h, 'denied', ms, undefined, String(res.reason ?? 'denied'));
    else io.record(h, 'ok', ms);
  }
  if (kind === 'action') return { value };
  if (answer.stopped && kind === 'guard') {
    const last = results[results.length - 1];
    if (last?.outcome === 'denied') return { value: answer.value, denied: { plugin: first.plugin, reason: String(last.reason ?? 'denied') } };
    return { value: answer.value, denied: failedClosed(first, String(last?.error ?? 'unknown error')) };
  }
  return { value: answer.value };
}

/** Runs an action: every matching handler at once, return values ignored; settles when all have (never rejects). */
export async function runAll<H extends RuleHandler>(list: readonly H[], value: unknown, ctx: HookContext, io: HookIo<H>): Promise<void> {
  const jobs: Promise<unknown>[] = [];
  let groups: Map<object, H[]> | undefined;
  for (const h of list) {
    if (h.removed) continue;
    if (h.matcher !== undefined && !h.matcher(toolName(ctx, value))) {
      io.record(h, 'skipped', 0);
      continue;
    }
    if (h.group !== undefined) {
      groups ??= new Map();
      const g = groups.get(h.group);
      if (g) g.push(h);
      else groups.set(h.group, [h]);
      continue;
    }
    jobs.push(attempt(h, value, io).then((s) => {
      if (s.ok) io.record(h, 'ok', s.ms);
      else fail('action', h, s.err, s.ms, io);
    }));
  }
  if (groups) for (const batch of groups.values()) jobs.push(runGroup('action', batch, value, io));
  await Promise.all(jobs);
}
