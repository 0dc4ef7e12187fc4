import { describe, expect, it } from 'vitest';
import { IpcError, RpcPeer, toWireError } from '../../../src/host/ipc.js';
import { memoryTransportPair } from '../../../src/host/memory-transport.js';

function pair(server: ConstructorParameters<typeof RpcPeer>[1] = {}, client: ConstructorParameters<typeof RpcPeer>[1] = {}) {
  const [a, b] = memoryTransportPair();
  return { client: new RpcPeer(a, client), server: new RpcPeer(b, server) };
}

describe('RpcPeer over an in-memory transport pair', () => {
  it('answers requests by id, each with its own result', async () => {
    const { client } = pair({ handlers: { double: (p) => (p as number) * 2 } });
    const results = await Promise.all([1, 2, 3].map((n) => client.request('double', n)));
    expect(results).toEqual([2, 4, 6]);
  });

  it('carries a thrown error across as code and message', async () => {
    const { client } = pair({ handlers: { boom: () => { throw Object.assign(new Error('disk full'), { code: 'ENOSPC' }); } } });
    await expect(client.request('boom')).rejects.toMatchObject({ name: 'IpcError', code: 'ENOSPC', message: 'disk full' });
  });

  it('answers an unknown method with IPC_NO_METHOD', async () => {
    const { client } = pair();
    await expect(client.request('nope')).rejects.toMatchObject({ code: 'IPC_NO_METHOD', message: 'unknown method nope' });
  });

  it('refuses a request beyond maxInFlight with IPC_BUSY instead of queueing it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { client } = pair({ handlers: { wait: () => gate } }, { maxInFlight: 2 });
    const first = [client.request('wait'), client.request('wait')];
    await expect(client.request('wait')).rejects.toMatchObject({ code: 'IPC_BUSY', message: 'too many requests in flight (limit 2)' });
    release();
    await expect(Promise.all(first)).resolves.toHaveLength(2);
    expect(client.inFlight).toBe(0);
  });

  it('answers IPC_BUSY when the other side already handles maxIncoming requests', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { client } = pair({ handlers: { wait: () => gate }, maxIncoming: 1 });
    const first = client.request('wait');
    await expect(client.request('wait')).rejects.toMatchObject({ code: 'IPC_BUSY' });
    release();
    await first;
  });

  it('rejects with IPC_TIMEOUT and cancels the handler on the other side', async () => {
    let sawAbort = false;
    const { client } = pair({
      handlers: { hang: (_p, ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => { sawAbort = true; reject(new Error('x')); })) },
    });
    await expect(client.request('hang', undefined, { timeoutMs: 20 })).rejects.toMatchObject({ code: 'IPC_TIMEOUT', message: 'no answer to hang within 20 ms' });
    await new Promise((r) => setTimeout(r, 10));
    expect(sawAbort).toBe(true);
  });

  it('times out a short request while an earlier, longer one keeps waiting and is answered later', async () => {
    let release!: (v: string) => void;
    const gate = new Promise<string>((r) => (release = r));
    const { client } = pair({ handlers: { slow: () => gate, hang: () => new Promise(() => {}) } });
    const slow = client.request('slow', undefined, { timeoutMs: 60_000 });
    await expect(client.request('hang', undefined, { timeoutMs: 20 })).rejects.toMatchObject({ code: 'IPC_TIMEOUT', message: 'no answer to hang within 20 ms' });
    expect(client.inFlight).toBe(1);
    release('done');
    await expect(slow).resolves.toBe('done');
    expect(client.inFlight).toBe(0);
  });

  it('times out each of several requests with the same timeout, the later ones after the first timer fired', async () => {
    const { client } = pair({ handlers: { hang: () => new Promise(() => {}), ok: () => 'ok' } });
    const first = client.request('hang', 1, { timeoutMs: 20 });
    await new Promise((r) => setTimeout(r, 10));
    const second = client.request('hang', 2, { timeoutMs: 20 });
    await expect(first).rejects.toMatchObject({ code: 'IPC_TIMEOUT' });
    await expect(second).rejects.toMatchObject({ code: 'IPC_TIMEOUT' });
    // An answered request leaves no timeout behind that could fail it later.
    await expect(client.request('ok', undefined, { timeoutMs: 20 })).resolves.toBe('ok');
    await new Promise((r) => setTimeout(r, 40));
    await expect(client.request('hang', 3, { timeoutMs: 20 })).rejects.toMatchObject({ code: 'IPC_TIMEOUT' });
    expect(client.inFlight).toBe(0);
  });

  it('hands a handler that reads its signal only after a cancel an already-aborted signal', async () => {
    let seen!: (aborted: boolean) => void;
    const sawSignal = new Promise<boolean>((r) => (seen = r));
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const { client } = pair({
      handlers: {
        work: (_p, ctx) => {
          started();
          return new Promise((r) => setTimeout(() => r(seen(ctx.signal.aborted)), 30));
        },
      },
    });
    const ac = new AbortController();
    const p = client.request('work', undefined, { signal: ac.signal });
    await running;
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'IPC_CANCELLED' });
    expect(await sawSignal).toBe(true);
  });

  it('passes an AbortSignal abort to the handler as a cancel and rejects with IPC_CANCELLED', async () => {
    let aborted!: () => void;
    const abortSeen = new Promise<void>((r) => (aborted = r));
    const { client } = pair({ handlers: { work: (_p, ctx) => new Promise(() => ctx.signal.addEventListener('abort', () => aborted())) } });
    const ac = new AbortController();
    const p = client.request('work', undefined, { signal: ac.signal });
    setTimeout(() => ac.abort(), 5);
    await expect(p).rejects.toMatchObject({ code: 'IPC_CANCELLED' });
    await abortSeen;
  });

  it('fails every waiting request with IPC_CLOSED when the transport closes, and refuses new ones', async () => {
    const { client, server } = pair({ handlers: { hang: () => new Promise(() => {}) } });
    const p = client.request('hang');
    await server.close();
    await expect(p).rejects.toMatchObject({ code: 'IPC_CLOSED' });
    await expect(client.request('hang')).rejects.toBeInstanceOf(IpcError);
  });

  it('delivers notifications to onNotification', async () => {
    const got: unknown[] = [];
    const { client } = pair({ onNotification: (m, p) => got.push([m, p]) });
    await client.notify('log', { message: 'hi' });
    await new Promise((r) => setTimeout(r, 0));
    expect(got).toEqual([['log', { message: 'hi' }]]);
  });
});

describe('toWireError', () => {
  it('keeps a string code and falls back to ERROR', () => {
    expect(toWireError(Object.assign(new Error('m'), { code: 'X' }))).toEqual({ code: 'X', message: 'm' });
    expect(toWireError(new Error('m'))).toEqual({ code: 'ERROR', message: 'm' });
    expect(toWireError('plain')).toEqual({ code: 'ERROR', message: 'plain' });
    expect(toWireError(Object.assign(new Error('m'), { code: 'X', hint: 'do y' }))).toEqual({ code: 'X', message: 'm', hint: 'do y' });
  });
});
