import { describe, expect, it } from 'vitest';
import { SessionTable, type CloseReason } from '../../../../src/host/mcp/http-sessions.js';

class FakeTransport {
  closed = false;
  async close(): Promise<void> {
    this.closed = true;
  }
}

function table(limits: Partial<{ perClient: number; total: number; pendingMs: number; idleMs: number }> = {}) {
  const closed: [string, CloseReason][] = [];
  const t = new SessionTable<FakeTransport>({ perClient: 2, total: 10, pendingMs: 1000, idleMs: 60_000, ...limits }, (id, r) => closed.push([id, r]));
  return { t, closed };
}

/** Adds a session whose initialize was answered at `at`. */
function open(t: SessionTable<FakeTransport>, id: string, client: string, at: number, opts: { initialized?: boolean } = {}): FakeTransport {
  const tr = new FakeTransport();
  t.add(id, client, tr, at);
  t.release(id, at);
  if (opts.initialized) {
    t.begin(id, { busy: false }, at);
  }
  return tr;
}

describe('SessionTable', () => {
  it('evicts a session that never finished initializing before any initialized one', () => {
    const { t, closed } = table();
    open(t, 'ready', 'c', 0, { initialized: true });
    const pending = open(t, 'pending', 'c', 5);
    expect(t.admit('c')).toBe(true);
    expect(closed).toEqual([['pending', 'evicted']]);
    expect(pending.closed).toBe(true);
    expect(t.get('ready')).toBeDefined();
  });

  it('evicts the least recently used initialized session when none is unfinished', () => {
    const { t, closed } = table();
    open(t, 'a', 'c', 0, { initialized: true });
    open(t, 'b', 'c', 1, { initialized: true });
    t.begin('a', { busy: false }, 10);
    expect(t.admit('c')).toBe(true);
    expect(closed).toEqual([['b', 'evicted']]);
  });

  it('never evicts a session answering a request, and refuses when all are busy', () => {
    const { t, closed } = table();
    open(t, 'a', 'c', 0, { initialized: true });
    open(t, 'b', 'c', 1, { initialized: true });
    t.begin('a', { busy: true });
    t.begin('b', { busy: true });
    expect(t.admit('c')).toBe(false);
    t.release('b');
    expect(t.admit('c')).toBe(true);
    expect(closed).toEqual([['b', 'evicted']]);
  });

  it('keeps initialized sessions while unfinished ones are still initializing (a flood in progress)', () => {
    const { t, closed } = table();
    open(t, 'ready', 'c', 0, { initialized: true });
    t.add('initializing', 'c', new FakeTransport(), 1);
    expect(t.admit('c')).toBe(false);
    expect(closed).toEqual([]);
    t.release('initializing', 2);
    expect(t.admit('c')).toBe(true);
    expect(closed).toEqual([['initializing', 'evicted']]);
  });

  it('counts the cap per client, and the total cap across clients', () => {
    const { t, closed } = table({ perClient: 2, total: 3 });
    open(t, 'x1', 'x', 0);
    open(t, 'x2', 'x', 1);
    expect(t.admit('y')).toBe(true);
    expect(closed).toEqual([]);
    open(t, 'y1', 'y', 2);
    expect(t.admit('y')).toBe(true);
    expect(closed).toEqual([['x1', 'evicted']]);
  });

  it('sweeps unfinished sessions after pendingMs and idle ones after idleMs, skipping busy ones', () => {
    const { t, closed } = table({ perClient: 10, pendingMs: 100, idleMs: 1000 });
    open(t, 'pending', 'c', 0);
    open(t, 'ready', 'c', 0, { initialized: true });
    open(t, 'busy', 'c', 0, { initialized: true });
    t.begin('busy', { busy: true }, 0);
    t.sweep(500);
    expect(closed).toEqual([['pending', 'never initialized']]);
    t.sweep(2000);
    expect(closed).toEqual([['pending', 'never initialized'], ['ready', 'idle']]);
    expect(t.size).toBe(1);
    expect(t.sweepEveryMs()).toBe(50);
  });
});
