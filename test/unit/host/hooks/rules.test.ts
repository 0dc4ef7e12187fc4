import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PRIORITY, HookError, HookOrder, Running, hookError, runAll, runChain,
  type HookBatchResult, type HookIo, type HookKind, type Outcome, type RuleHandler,
} from '../../../../src/host/hooks/rules.js';

// The rules are tested with in-memory handlers and a recording HookIo: no dispatcher, no processes.

interface H extends RuleHandler {
  fn: (v: unknown) => unknown;
}

interface Spec {
  plugin?: string;
  priority?: number;
  timeoutMs?: number;
  failOpen?: boolean;
  match?: string;
  group?: object;
  fn?: (v: unknown) => unknown;
}

function handler(s: Spec = {}): H {
  const plugin = s.plugin ?? 'p';
  return {
    plugin,
    priority: s.priority ?? DEFAULT_PRIORITY,
    timeoutMs: s.timeoutMs ?? 1000,
    failOpen: s.failOpen ?? false,
    matcher: s.match === undefined ? undefined : (tool: string) => tool === s.match,
    group: s.group,
    removed: false,
    fn: s.fn ?? (() => undefined),
  };
}

interface Rec { plugin: string; outcome: Outcome; ms: number | undefined; error?: HookError; reason?: string }

function recorder(extra: Partial<HookIo<H>> = {}) {
  const records: Rec[] = [];
  const timedOut: string[] = [];
  const io: HookIo<H> = {
    call: (h, v) => h.fn(v),
    onTimeout: (h) => { timedOut.push(h.plugin); },
    record: (h, outcome, ms, error, reason) => { records.push({ plugin: h.plugin, outcome, ms, error, reason }); },
    ...extra,
  };
  return { io, records, timedOut, outcomes: () => records.map((r) => `${r.plugin}:${r.outcome}`) };
}

const never = () => new Promise<never>(() => undefined);
const boom = (msg: string) => () => { throw new Error(msg); };
const reject = (msg: string) => () => Promise.reject(new Error(msg));
const chain = (kind: HookKind, list: H[], value: unknown, tool: string, io: HookIo<H>) => Promise.resolve(runChain(kind, list, value, { tool }, io, true));

describe('filter', () => {
  it('runs a matching handler and passes its value to the next; undefined keeps the value', async () => {
    const r = recorder();
    const list = [
      handler({ plugin: 'a', match: 'x.t', fn: (v) => `${v as string}+a` }),
      handler({ plugin: 'b', fn: () => undefined }),
      handler({ plugin: 'c', fn: async (v) => `${v as string}+c` }),
    ];
    const res = await chain('filter', list, 'v', 'x.t', r.io);
    expect(res).toEqual({ value: 'v+a+c' });
    expect(r.outcomes()).toEqual(['a:ok', 'b:ok', 'c:ok']);
  });

  it('skips a handler whose match fails without calling it and records it as skipped', async () => {
    const r = recorder();
    let called = false;
    const list = [handler({ plugin: 'a', match: 'other.t', fn: () => { called = true; return 'changed'; } })];
    const res = await chain('filter', list, 'v', 'x.t', r.io);
    expect(called).toBe(false);
    expect(res).toEqual({ value: 'v' });
    expect(r.records).toEqual([{ plugin: 'a', outcome: 'skipped', ms: 0, error: undefined, reason: undefined }]);
  });

  it('fails open when a handler throws: the error is recorded and the value passes on unchanged', async () => {
    for (const fn of [boom('sync bad'), reject('async bad')]) {
      const r = recorder();
      const list = [handler({ plugin: 'a', fn }), handler({ plugin: 'b', fn: (v) => `${v as string}+b` })];
      const res = await chain('filter', list, 'v', 'x.t', r.io);
      expect(res).toEqual({ value: 'v+b' });
      expect(r.outcomes()).toEqual(['a:error', 'b:ok']);
      expect(r.records[0]!.error!.message).toMatch(/^a: (sync|async) bad$/);
    }
  });

  it('fails open when a handler times out: onTimeout is told, the value passes on unchanged', async () => {
    const r = recorder();
    const list = [handler({ plugin: 'slow', timeoutMs: 20, fn: never }), handler({ plugin: 'b', fn: (v) => `${v as string}+b` })];
    const res = await chain('filter', list, 'v', 'x.t', r.io);
    expect(res).toEqual({ value: 'v+b' });
    expect(r.outcomes()).toEqual(['slow:timeout', 'b:ok']);
    expect(r.timedOut).toEqual(['slow']);
    expect(r.records[0]!.error!.message).toBe('slow: timed out after 20 ms');
    expect(r.records[0]!.ms).toBeGreaterThanOrEqual(15);
  });

  it('ignores failOpen: false on a filter (filters always fail open)', async () => {
    const r = recorder();
    const res = await chain('filter', [handler({ plugin: 'a', failOpen: false, fn: boom('x') })], 'v', 'x.t', r.io);
    expect(res).toEqual({ value: 'v' });
    expect(res.denied).toBeUndefined();
  });
});

describe('guard', () => {
  it('runs a matching handler; undefined allows and any other value replaces the value', async () => {
    const r = recorder();
    const list = [
      handler({ plugin: 'a', match: 'x.t', fn: () => undefined }),
      handler({ plugin: 'b', fn: async () => ({ tool: 'x.t', arguments: { rewritten: true } }) }),
    ];
    const res = await chain('guard', list, { tool: 'x.t', arguments: {} }, 'x.t', r.io);
    expect(res).toEqual({ value: { tool: 'x.t', arguments: { rewritten: true } } });
    expect(r.outcomes()).toEqual(['a:ok', 'b:ok']);
  });

  it('stops at the first veto, names the vetoing plugin and runs no later handler', async () => {
    const r = recorder();
    let laterRan = false;
    const list = [
      handler({ plugin: 'a', priority: 1, fn: () => ({ deny: 'not today' }) }),
      handler({ plugin: 'b', priority: 2, fn: () => { laterRan = true; } }),
    ];
    const res = await chain('guard', list, { tool: 'x.t' }, 'x.t', r.io);
    expect(res).toEqual({ value: { tool: 'x.t' }, denied: { plugin: 'a', reason: 'not today' } });
    expect(laterRan).toBe(false);
    expect(r.records).toEqual([{ plugin: 'a', outcome: 'denied', ms: expect.any(Number), error: undefined, reason: 'not today' }]);
  });

  it('does not veto through a handler skipped by match', async () => {
    const r = recorder();
    const res = await chain('guard', [handler({ plugin: 'a', match: 'other.t', fn: () => ({ deny: 'no' }) })], 'v', 'x.t', r.io);
    expect(res).toEqual({ value: 'v' });
    expect(r.outcomes()).toEqual(['a:skipped']);
  });

  it('fails closed by default when a handler throws: the call is denied with the plugin and error, later handlers do not run', async () => {
    for (const fn of [boom('sync bad'), reject('async bad')]) {
      const r = recorder();
      let laterRan = false;
      const list = [handler({ plugin: 'a', fn }), handler({ plugin: 'b', fn: () => { laterRan = true; } })];
      const res = await chain('guard', list, 'v', 'x.t', r.io);
      expect(res.denied?.plugin).toBe('a');
      expect(res.denied?.reason).toMatch(/^guard of plugin a failed: (sync|async) bad$/);
      expect(laterRan).toBe(false);
      expect(r.outcomes()).toEqual(['a:error']);
    }
  });

  it('fails closed by default when a handler times out', async () => {
    const r = recorder();
    const res = await chain('guard', [handler({ plugin: 'slow', timeoutMs: 20, fn: never })], 'v', 'x.t', r.io);
    expect(res.denied).toEqual({ plugin: 'slow', reason: 'guard of plugin slow failed: timed out after 20 ms' });
    expect(r.outcomes()).toEqual(['slow:timeout']);
    expect(r.timedOut).toEqual(['slow']);
  });

  it('fails open when the handler says failOpen: true, on a throw and on a timeout', async () => {
    const r = recorder();
    const list = [
      handler({ plugin: 'thrower', failOpen: true, fn: boom('bad') }),
      handler({ plugin: 'slow', failOpen: true, timeoutMs: 20, fn: never }),
      handler({ plugin: 'last', fn: (v) => `${v as string}+last` }),
    ];
    const res = await chain('guard', list, 'v', 'x.t', r.io);
    expect(res).toEqual({ value: 'v+last' });
    expect(r.outcomes()).toEqual(['thrower:error', 'slow:timeout', 'last:ok']);
  });
});

describe('action', () => {
  it('runs every matching handler at once and ignores their return values', async () => {
    const r = recorder();
    const started: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((res) => { release = res; });
    const list = [
      handler({ plugin: 'a', fn: async () => { started.push('a'); await gate; return 'ignored'; } }),
      handler({ plugin: 'b', fn: async () => { started.push('b'); await gate; } }),
    ];
    const done = runAll(list, 'v', { tool: 'x.t' }, r.io);
    // Both started before either finished: they run concurrently, not in a chain.
    expect(started).toEqual(['a', 'b']);
    release();
    await expect(done).resolves.toBeUndefined();
    expect(r.outcomes().sort()).toEqual(['a:ok', 'b:ok']);
  });

  it('skips a handler whose match fails without calling it', async () => {
    const r = recorder();
    let called = false;
    await runAll([handler({ plugin: 'a', match: 'other.t', fn: () => { called = true; } })], 'v', { tool: 'x.t' }, r.io);
    expect(called).toBe(false);
    expect(r.outcomes()).toEqual(['a:skipped']);
  });

  it('fails open when a handler throws or times out: recorded, the others still run, the dispatch never rejects', async () => {
    const r = recorder();
    let okRan = false;
    const list = [
      handler({ plugin: 'sync', fn: boom('s') }),
      handler({ plugin: 'async', fn: reject('a') }),
      handler({ plugin: 'slow', timeoutMs: 20, failOpen: false, fn: never }),
      handler({ plugin: 'ok', fn: () => { okRan = true; } }),
    ];
    await expect(runAll(list, 'v', {}, r.io)).resolves.toBeUndefined();
    expect(okRan).toBe(true);
    expect(r.outcomes().sort()).toEqual(['async:error', 'ok:ok', 'slow:timeout', 'sync:error']);
    expect(r.timedOut).toEqual(['slow']);
  });
});

describe('match', () => {
  it('checks the tool name from the context, else from value.tool', async () => {
    const r = recorder();
    const h = handler({ plugin: 'a', match: 'x.t', fn: () => 'hit' });
    expect(await chain('filter', [h], { tool: 'x.t' }, 'y.t', r.io)).toEqual({ value: { tool: 'x.t' } });
    expect(await Promise.resolve(runChain('filter', [h], { tool: 'x.t' }, {}, r.io, true))).toEqual({ value: 'hit' });
    expect(r.outcomes()).toEqual(['a:skipped', 'a:ok']);
  });
});

describe('order', () => {
  it('orders by priority ascending with ties in registration order', () => {
    const order = new HookOrder<H>();
    for (const [plugin, priority] of [['c', 20], ['a', 1], ['tie-1', 10], ['tie-2', 10], ['b', 5], ['tie-3', 10]] as const) {
      order.add('e', handler({ plugin, priority }));
    }
    expect(order.get('e').map((h) => h.plugin)).toEqual(['a', 'b', 'tie-1', 'tie-2', 'tie-3', 'c']);
    expect(order.get('none')).toEqual([]);
  });

  it('caches the ordered list until a handler is added or removed, then rebuilds it', () => {
    const order = new HookOrder<H>();
    const a = handler({ plugin: 'a', priority: 5 });
    order.add('e', a);
    const first = order.get('e');
    expect(order.get('e')).toBe(first);
    const b = handler({ plugin: 'b', priority: 1 });
    order.add('e', b);
    const second = order.get('e');
    expect(second).not.toBe(first);
    expect(second.map((h) => h.plugin)).toEqual(['b', 'a']);
    expect(first.map((h) => h.plugin)).toEqual(['a']);
    order.remove('e', b);
    expect(order.get('e').map((h) => h.plugin)).toEqual(['a']);
    expect(b.removed).toBe(true);
    order.remove('e', a);
    expect(order.events()).toEqual([]);
  });

  it('lists events with handlers, sorted', () => {
    const order = new HookOrder<H>();
    order.add('z:e', handler());
    order.add('a:e', handler());
    expect(order.events()).toEqual(['a:e', 'z:e']);
  });

  it('during a dispatch a handler removed before its turn does not run and one added runs only from the next dispatch', async () => {
    for (const async of [false, true]) {
      const order = new HookOrder<H>();
      const ran: string[] = [];
      const late = handler({ plugin: 'late', priority: 1, fn: () => { ran.push('late'); } });
      const victim = handler({ plugin: 'victim', priority: 3, fn: () => { ran.push('victim'); } });
      const first = handler({
        plugin: 'first', priority: 2,
        fn: () => {
          ran.push('first');
          order.remove('e', victim);
          order.add('e', late);
          return async ? Promise.resolve(undefined) : undefined;
        },
      });
      order.add('e', first);
      order.add('e', victim);
      order.add('e', handler({ plugin: 'after', priority: 4, fn: () => { ran.push('after'); } }));
      const r = recorder();
      await chain('filter', [...order.get('e')], 'v', 'x.t', r.io);
      expect(ran).toEqual(['first', 'after']);
      ran.length = 0;
      await chain('filter', [...order.get('e')], 'v', 'x.t', r.io);
      expect(ran).toEqual(['late', 'first', 'after']);
    }
  });

  it('during an action a handler removed before the dispatch reached it does not run', async () => {
    const order = new HookOrder<H>();
    const ran: string[] = [];
    const gone = handler({ plugin: 'gone', fn: () => { ran.push('gone'); } });
    order.add('e', gone);
    const list = order.get('e');
    order.remove('e', gone);
    await runAll(list, 'v', {}, recorder().io);
    expect(ran).toEqual([]);
  });
});

describe('errors', () => {
  it('tags every recorded failure with the plugin that caused it', async () => {
    const r = recorder();
    await runAll([handler({ plugin: 'alpha', fn: boom('kaput') }), handler({ plugin: 'beta', fn: reject('down') })], 'v', {}, r.io);
    const errs = r.records.map((x) => x.error!);
    expect(errs.every((e) => e instanceof HookError)).toBe(true);
    expect(errs.map((e) => [e.plugin, e.message]).sort()).toEqual([['alpha', 'alpha: kaput'], ['beta', 'beta: down']]);
  });

  it('hookError classifies timeout codes from the transport as timeouts and keeps the detail untagged', () => {
    const ipc = Object.assign(new Error('no answer in 100 ms'), { code: 'IPC_TIMEOUT' });
    expect(hookError('p', ipc)).toMatchObject({ plugin: 'p', outcome: 'timeout', detail: 'no answer in 100 ms', message: 'p: no answer in 100 ms' });
    expect(hookError('p', 'a string')).toMatchObject({ outcome: 'error', message: 'p: a string' });
    // Re-tagging an already tagged error does not repeat the plugin name.
    expect(hookError('q', new HookError('p', 'error', 'x')).message).toBe('q: x');
  });
});

describe('grouped handlers (one round trip per plugin process)', () => {
  it('sends consecutive handlers of one group in one round trip; another plugin in between splits it', async () => {
    const procA = {};
    const trips: string[][] = [];
    const callGroup = async (_kind: HookKind, batch: H[], value: unknown): Promise<HookBatchResult> => {
      trips.push(batch.map((h) => h.plugin));
      return { value: `${value as string}+${batch.map((h) => h.plugin).join('')}`, results: batch.map((_, index) => ({ index, outcome: 'ok' as const, ms: 1 })) };
    };
    const r = recorder({ callGroup });
    const list = [
      handler({ plugin: 'a1', priority: 1, group: procA }),
      handler({ plugin: 'a2', priority: 2, group: procA }),
      handler({ plugin: 'b', priority: 3, fn: (v) => `${v as string}+b` }),
      handler({ plugin: 'a3', priority: 4, group: procA }),
    ];
    const res = await chain('filter', list, 'v', 'x.t', r.io);
    expect(trips).toEqual([['a1', 'a2'], ['a3']]);
    expect(res).toEqual({ value: 'v+a1a2+b+a3' });
  });

  it('a failed round trip fails every handler in it; a guard batch fails closed, a filter batch open', async () => {
    const grp = {};
    const callGroup = () => Promise.reject(Object.assign(new Error('plugin died'), { code: 'PLUGIN_TIMEOUT' }));
    for (const kind of ['guard', 'filter'] as const) {
      const r = recorder({ callGroup });
      const list = [handler({ plugin: 'g', group: grp }), handler({ plugin: 'g', group: grp })];
      const res = await chain(kind, list, 'v', 'x.t', r.io);
      expect(r.outcomes()).toEqual(['g:timeout', 'g:timeout']);
      if (kind === 'guard') expect(res.denied).toEqual({ plugin: 'g', reason: 'guard of plugin g failed: plugin died' });
      else expect(res).toEqual({ value: 'v' });
    }
  });

  it('a guard batch that the far side stopped on a veto denies with its reason', async () => {
    const grp = {};
    const callGroup = async (): Promise<HookBatchResult> => ({ value: 'v', stopped: true, results: [{ index: 0, outcome: 'denied', ms: 1, reason: 'nope' }] });
    const r = recorder({ callGroup });
    const res = await chain('guard', [handler({ plugin: 'g', group: grp }), handler({ plugin: 'g', group: grp })], 'v', 'x.t', r.io);
    expect(res.denied).toEqual({ plugin: 'g', reason: 'nope' });
    expect(r.outcomes()).toEqual(['g:denied']);
  });
});

describe('timing', () => {
  it('reports no time for synchronous handlers when the dispatch is not timed, and a time when it is', () => {
    for (const timed of [false, true]) {
      const r = recorder();
      runChain('filter', [handler({ plugin: 'a' })], 'v', {}, r.io, timed);
      expect(r.records[0]!.ms === undefined).toBe(!timed);
    }
  });

  it('stays synchronous when every handler is synchronous and ungrouped', () => {
    const res = runChain('filter', [handler({ fn: () => 'x' })], 'v', {}, recorder().io, false);
    expect(res).toEqual({ value: 'x' });
  });
});

describe('shutdown', () => {
  it('drain waits for running dispatches, including ones started while it waits', async () => {
    const running = new Running();
    const done: string[] = [];
    let releaseFirst!: () => void;
    running.track(new Promise<void>((res) => { releaseFirst = res; }).then(() => {
      done.push('first');
      running.track(new Promise<void>((res) => setTimeout(res, 20)).then(() => { done.push('second'); }));
    }));
    // A rejected dispatch does not make drain reject.
    running.track(Promise.reject(new Error('x'))).catch(() => undefined);
    let drained = false;
    const drain = running.drain().then(() => { drained = true; });
    await new Promise((r) => setTimeout(r, 10));
    expect(drained).toBe(false);
    releaseFirst();
    await drain;
    expect(done).toEqual(['first', 'second']);
  });

  it('drain resolves at once when nothing runs', async () => {
    await expect(new Running().drain()).resolves.toBeUndefined();
  });
});
