import { describe, expect, it } from 'vitest';
import { HookDispatcher, SAMPLE_EVERY, type HookBatchParams } from '../../../../src/host/hooks/dispatcher.js';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('hook ordering', () => {
  it('runs handlers by priority ascending, ties in registration order, default priority 10', async () => {
    const d = new HookDispatcher();
    const order: string[] = [];
    const add = (plugin: string, priority?: number) => d.register({ plugin, event: 'tool:after-call', priority, fn: () => { order.push(plugin); } });
    add('c', 20);
    add('a', 1);
    add('tie-first');
    add('tie-second', 10);
    add('b', 5);
    await d.dispatch('tool:after-call', {});
    expect(order).toEqual(['a', 'b', 'tie-first', 'tie-second', 'c']);
    expect(d.handlers('tool:after-call').map((h) => h.plugin)).toEqual(order);
  });
});

describe('has', () => {
  it('tells whether an event has handlers, following registration and removal', () => {
    const d = new HookDispatcher();
    expect(d.has('tool:before-call')).toBe(false);
    const off = d.register({ plugin: 'a', event: 'tool:before-call', fn: () => undefined });
    d.register({ plugin: 'b', event: 'tool:after-call', fn: () => undefined });
    expect([d.has('tool:before-call'), d.has('tool:after-call')]).toEqual([true, true]);
    off();
    expect(d.has('tool:before-call')).toBe(false);
    d.removePlugin('b');
    expect(d.has('tool:after-call')).toBe(false);
  });
});

describe('filter', () => {
  it('chains values: each handler gets the previous value, undefined keeps it', async () => {
    const d = new HookDispatcher();
    d.register({ plugin: 'a', event: 'prompt:after-render', priority: 1, fn: (v: string) => v + ' a' });
    d.register({ plugin: 'b', event: 'prompt:after-render', priority: 2, fn: () => undefined });
    d.register({ plugin: 'c', event: 'prompt:after-render', priority: 3, fn: async (v: string) => v + ' c' });
    d.register({ plugin: 'd', event: 'prompt:after-render', priority: 4, fn: (v: string) => v + ' d' });
    expect((await d.dispatch('prompt:after-render', 'x')).value).toBe('x a c d');
  });

  it('fails open: a throwing or timed-out handler is recorded and skipped, the value passes on unchanged', async () => {
    const errors: string[] = [];
    const d = new HookDispatcher({ handlerTimeoutMs: 20, onHandlerError: (e) => errors.push(`${e.outcome} ${e.message}`) });
    d.register({ plugin: 'thrower', event: 'tool:after-call', priority: 1, fn: () => { throw new Error('bad'); } });
    d.register({ plugin: 'sleeper', event: 'tool:after-call', priority: 2, fn: () => new Promise(() => {}) });
    d.register({ plugin: 'good', event: 'tool:after-call', priority: 3, fn: (v: number) => v + 1 });
    const r = await d.dispatch('tool:after-call', 1, {}, { trace: true });
    expect(r.value).toBe(2);
    expect(r.denied).toBeUndefined();
    expect(r.handlers!.map((h) => h.outcome)).toEqual(['error', 'timeout', 'ok']);
    expect(errors).toEqual(['error thrower: bad', 'timeout sleeper: timed out after 20 ms']);
    const stats = d.stats();
    expect(stats.find((s) => s.plugin === 'thrower')).toMatchObject({ calls: 1, errors: 1, lastError: 'thrower: bad' });
    expect(stats.find((s) => s.plugin === 'sleeper')).toMatchObject({ calls: 1, timeouts: 1 });
  });
});

describe('guard', () => {
  it('stops at the first veto and reports who denied and why', async () => {
    const d = new HookDispatcher();
    const ran: string[] = [];
    d.register({ plugin: 'allow', event: 'tool:before-call', priority: 1, fn: () => { ran.push('allow'); } });
    d.register({ plugin: 'veto', event: 'tool:before-call', priority: 2, fn: () => { ran.push('veto'); return { deny: 'no writes on Friday' }; } });
    d.register({ plugin: 'never', event: 'tool:before-call', priority: 3, fn: () => { ran.push('never'); } });
    const r = await d.dispatch('tool:before-call', { tool: 'notes.add', arguments: {} });
    expect(r.denied).toEqual({ plugin: 'veto', reason: 'no writes on Friday' });
    expect(ran).toEqual(['allow', 'veto']);
    expect(d.stats().find((s) => s.plugin === 'veto')).toMatchObject({ denied: 1, calls: 1 });
  });

  it('lets a tool:before-call guard rewrite the value (guard, then filter)', async () => {
    const d = new HookDispatcher();
    d.register({ plugin: 'rewrite', event: 'tool:before-call', fn: (v: { tool: string; arguments: object }) => ({ ...v, arguments: { text: 'safe' } }) });
    expect((await d.dispatch('tool:before-call', { tool: 't.x', arguments: { text: 'raw' } })).value).toEqual({ tool: 't.x', arguments: { text: 'safe' } });
  });

  it('fails closed: a guard that throws or times out denies', async () => {
    const d = new HookDispatcher({ handlerTimeoutMs: 20 });
    const un = d.register({ plugin: 'broken', event: 'tool:before-call', fn: () => { throw new Error('db down'); } });
    expect((await d.dispatch('tool:before-call', { tool: 'a.b' })).denied).toEqual({ plugin: 'broken', reason: 'guard of plugin broken failed: db down' });
    un();
    d.register({ plugin: 'slow', event: 'tool:before-call', fn: () => new Promise(() => {}) });
    expect((await d.dispatch('tool:before-call', { tool: 'a.b' })).denied).toEqual({ plugin: 'slow', reason: 'guard of plugin slow failed: timed out after 20 ms' });
  });

  it('fails open when configured, per dispatcher or per handler', async () => {
    const d = new HookDispatcher({ guardFailOpen: true });
    d.register({ plugin: 'broken', event: 'tool:before-call', fn: () => { throw new Error('db down'); } });
    expect((await d.dispatch('tool:before-call', { tool: 'a.b' })).denied).toBeUndefined();
    const e = new HookDispatcher();
    e.register({ plugin: 'broken', event: 'tool:before-call', failOpen: true, fn: () => { throw new Error('db down'); } });
    expect((await e.dispatch('tool:before-call', { tool: 'a.b' })).denied).toBeUndefined();
  });
});

describe('action', () => {
  it('starts every handler at once and waits for all of them within the dispatch', async () => {
    const d = new HookDispatcher();
    const started: string[] = [];
    const finished: string[] = [];
    const releases: (() => void)[] = [];
    for (const p of ['a', 'b', 'c']) {
      d.register({ plugin: p, event: 'plugin:installed', fn: () => { started.push(p); return new Promise<void>((r) => releases.push(() => { finished.push(p); r(); })); } });
    }
    let done = false;
    const run = d.dispatch('plugin:installed', { name: 'x' }).then(() => { done = true; });
    await tick();
    // All three started before any finished: they run concurrently, not in a chain.
    expect(started).toEqual(['a', 'b', 'c']);
    expect(finished).toEqual([]);
    releases[2]!();
    releases[0]!();
    await tick();
    expect(done).toBe(false);
    releases[1]!();
    await run;
    expect(finished).toEqual(['c', 'a', 'b']);
  });

  it('ignores return values and records failures without failing the dispatch', async () => {
    const d = new HookDispatcher();
    d.register({ plugin: 'a', event: 'server:started', fn: () => 'ignored' });
    d.register({ plugin: 'b', event: 'server:started', fn: async () => { throw new Error('nope'); } });
    const r = await d.dispatch('server:started', 'v', {}, { trace: true });
    expect(r.value).toBe('v');
    expect(r.handlers!.map((h) => [h.plugin, h.outcome])).toEqual([['a', 'ok'], ['b', 'error']]);
  });

  it('runs custom events as actions', async () => {
    const d = new HookDispatcher();
    d.declareEvent('notes:created', 'notes');
    expect(d.kindOf('notes:created')).toBe('action');
    expect(d.kindOf('other:thing')).toBe('action');
    expect(d.events().find((e) => e.event === 'notes:created')).toEqual({ event: 'notes:created', kind: 'action', builtin: false, emitters: ['notes'] });
  });
});

describe('match', () => {
  it('skips a handler whose glob does not match the tool name, counting it as skipped', async () => {
    const d = new HookDispatcher();
    const ran: string[] = [];
    d.register({ plugin: 'notes-only', event: 'tool:after-call', match: { tool: 'notes.*' }, fn: () => { ran.push('notes-only'); } });
    d.register({ plugin: 'all', event: 'tool:after-call', fn: () => { ran.push('all'); } });
    await d.dispatch('tool:after-call', {}, { tool: 'todo.add' });
    await d.dispatch('tool:after-call', {}, { tool: 'notes.add' });
    expect(ran).toEqual(['all', 'notes-only', 'all']);
    expect(d.stats().find((s) => s.plugin === 'notes-only')).toMatchObject({ calls: 1, skipped: 1 });
  });

  it('reads the tool name from the value of tool:before-call', async () => {
    const d = new HookDispatcher();
    d.register({ plugin: 'g', event: 'tool:before-call', match: { tool: 'notes.*' }, fn: () => ({ deny: 'no' }) });
    expect((await d.dispatch('tool:before-call', { tool: 'todo.add' })).denied).toBeUndefined();
    expect((await d.dispatch('tool:before-call', { tool: 'notes.add' })).denied).toEqual({ plugin: 'g', reason: 'no' });
  });
});

describe('changes during a dispatch', () => {
  it('neither skips nor repeats anyone when handlers remove themselves and others or add new ones', async () => {
    const d = new HookDispatcher();
    const ran: string[] = [];
    const un: Record<string, () => void> = {};
    un.a = d.register({ plugin: 'a', event: 'tool:after-call', priority: 1, fn: () => {
      ran.push('a');
      un.a!(); // removes itself mid-dispatch
      d.register({ plugin: 'late', event: 'tool:after-call', priority: 0, fn: () => { ran.push('late'); } });
    } });
    un.b = d.register({ plugin: 'b', event: 'tool:after-call', priority: 2, fn: async () => { ran.push('b'); un.c!(); } });
    un.c = d.register({ plugin: 'c', event: 'tool:after-call', priority: 3, fn: () => { ran.push('c'); } });
    d.register({ plugin: 'd', event: 'tool:after-call', priority: 4, fn: () => { ran.push('d'); } });
    await d.dispatch('tool:after-call', {});
    // c was removed before its turn; late was added during the dispatch and joins from the next one.
    expect(ran).toEqual(['a', 'b', 'd']);
    ran.length = 0;
    await d.dispatch('tool:after-call', {});
    expect(ran).toEqual(['late', 'b', 'd']);
  });

  it('waits for running dispatches in drain() so shutdown is clean', async () => {
    const d = new HookDispatcher();
    let finished = false;
    d.register({ plugin: 'slow', event: 'server:stopping', fn: () => new Promise<void>((r) => setTimeout(() => { finished = true; r(); }, 20)) });
    void d.dispatch('server:stopping', null);
    await d.drain();
    expect(finished).toBe(true);
  });

  it('removes every handler of a plugin with removePlugin()', async () => {
    const d = new HookDispatcher();
    d.register({ plugin: 'x', event: 'tool:after-call', fn: () => 1 });
    d.register({ plugin: 'x', event: 'server:started', fn: () => 1 });
    d.register({ plugin: 'y', event: 'tool:after-call', fn: () => 2 });
    d.removePlugin('x');
    expect(d.stats().map((s) => s.plugin)).toEqual(['y']);
  });
});

describe('stats', () => {
  it('counts every call and samples synchronous handlers\' latency on one dispatch in SAMPLE_EVERY', async () => {
    const d = new HookDispatcher();
    d.register({ plugin: 'a', event: 'tool:after-call', fn: (v: number) => v + 1 });
    for (let i = 0; i < 50; i++) await d.dispatch('tool:after-call', i);
    const [s] = d.stats();
    expect(s).toMatchObject({ event: 'tool:after-call', plugin: 'a', priority: 10, calls: 50, errors: 0, timeouts: 0, skipped: 0 });
    expect(s!.latency.count).toBe(Math.floor(50 / SAMPLE_EVERY));
    expect(s!.latency.p50).toBeLessThanOrEqual(s!.latency.p95);
    expect(s!.latency.p95).toBeLessThanOrEqual(s!.latency.p99);
  });

  it('times every async handler and every handler of a traced dispatch', async () => {
    const d = new HookDispatcher();
    d.register({ plugin: 'async', event: 'tool:after-call', priority: 1, fn: async () => undefined });
    d.register({ plugin: 'sync', event: 'tool:after-call', priority: 2, fn: () => undefined });
    for (let i = 0; i < 3; i++) await d.dispatch('tool:after-call', i);
    await d.dispatch('tool:after-call', 0, {}, { trace: true });
    const by = Object.fromEntries(d.stats().map((x) => [x.plugin, x]));
    expect(by.async!.latency.count).toBe(4);
    // The sync handler after an async one runs on the async path, which always times.
    expect(by.sync!.latency.count).toBe(4);
  });

  it('refuses a handler with both or neither of fn and remote', () => {
    const d = new HookDispatcher();
    expect(() => d.register({ plugin: 'a', event: 'x:y' })).toThrow('exactly one of fn or remote');
  });
});

describe('the request a dispatch serves (CallContext)', () => {
  it('gives in-process handlers the whole context and plugin handlers its serialisable part as ctx.call', async () => {
    const d = new HookDispatcher();
    const ac = new AbortController();
    const call = { transport: 'stdio', sessionId: 's-1', client: { name: 'claude-ai', version: '1.2' }, requestId: 4, progressToken: 't', signal: ac.signal };
    let inProcess: unknown;
    d.register({ plugin: 'me', event: 'tool:after-call', priority: 1, fn: (_v, _ctx, c) => { inProcess = c; } });
    const sent: HookBatchParams[] = [];
    d.register({
      plugin: 'far', event: 'tool:after-call', priority: 2, index: 0,
      remote: { plugin: 'far', invokeHooks: async (p) => (sent.push(p), { value: p.value, results: [{ index: 0, outcome: 'ok', ms: 1 }] }) },
    });
    await d.dispatch('tool:after-call', { content: [] }, { tool: 'notes.add' }, { call });
    expect(inProcess).toBe(call);
    expect(sent[0]!.ctx).toEqual({ tool: 'notes.add', call: { transport: 'stdio', sessionId: 's-1', client: { name: 'claude-ai', version: '1.2' }, requestId: 4, progressToken: 't' } });
    // Without a request (lifecycle events, pm hook-run) the plugin's ctx has no call.
    await d.dispatch('tool:after-call', { content: [] }, { tool: 'notes.add' });
    expect(sent[1]!.ctx).toEqual({ tool: 'notes.add' });
  });
});
