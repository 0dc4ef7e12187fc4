import { afterEach, describe, expect, it } from 'vitest';
import { addEndpoint } from '../../../../src/core/webhooks/endpoints.js';
import { emitWebhookEvent } from '../../../../src/core/webhooks/emit.js';
import { DeliveryWorker } from '../../../../src/core/webhooks/deliver-worker.js';
import { readEndpointState } from '../../../../src/core/webhooks/outbox-state.js';
import { outboxWriter } from '../../../../src/core/webhooks/outbox-writer.js';
import { listSegments, readSegment } from '../../../../src/core/webhooks/outbox-reader.js';
import { startReceiver, type Receiver } from '../../../helpers/webhook-receiver.js';
import { tempDir } from '../../../helpers/pm.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function setup(answer?: (n: number) => number | 'timeout', headers?: (n: number) => Record<string, string>) {
  const t = await tempDir('pm-wh-');
  cleanups.push(t.cleanup);
  const ep0 = await addEndpoint(t.dir, { url: 'http://127.0.0.1:1/placeholder', events: '*' });
  const rx = await startReceiver({ secret: ep0.secret, answer, headers });
  cleanups.push(() => rx.close());
  const ep = await addEndpoint(t.dir, { url: rx.url, events: '*,tool.called', secret: ep0.secret });
  // Only the second endpoint stays: the first was a way to get a secret before the receiver existed.
  const { removeEndpoint } = await import('../../../../src/core/webhooks/endpoints.js');
  await removeEndpoint(t.dir, ep0.id);
  cleanups.push(() => outboxWriter(t.dir).close());
  return { home: t.dir, ep, rx };
}

async function flush(home: string, retryMs = [5, 10, 20]): Promise<DeliveryWorker> {
  const w = new DeliveryWorker(home, { mode: 'flush', retryMs, timeoutMs: 300, persistMs: 10 });
  await w.scan();
  await w.run();
  await w.stop();
  return w;
}

function typesOf(rx: Receiver): string[] {
  return rx.received.filter((r) => r.answered === 200).map((r) => (JSON.parse(r.body) as { data: { n: number } }).data.n).map(String);
}

describe('the delivery worker', () => {
  it('delivers every event to its endpoint in the order they were emitted, signed', async () => {
    const { home, rx } = await setup();
    for (let n = 0; n < 20; n++) await emitWebhookEvent(home, 'plugin.enabled', { plugin: 'p', n });
    await flush(home);
    expect(typesOf(rx)).toEqual(Array.from({ length: 20 }, (_, n) => String(n)));
    expect(rx.received.every((r) => r.verified)).toBe(true);
  });

  it('gets every one of 1,000 events through a flaky receiver (30 % errors, some timeouts), each with a valid signature', async () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const { home, rx } = await setup(() => {
      const r = random();
      return r < 0.3 ? 500 : r < 0.32 ? 'timeout' : 200;
    });
    const ids: string[] = [];
    const batch = await Promise.all(Array.from({ length: 1000 }, (_, n) => emitWebhookEvent(home, 'plugin.installed', { plugin: 'p', n })));
    for (const rec of batch) ids.push(rec!.id);
    // Retries 1 ms apart, and a schedule long enough that nothing is dead-lettered during the test.
    const w = new DeliveryWorker(home, { mode: 'flush', retryMs: [1, 1, 1, 1, 1, 1, 1, 1, 600_000], timeoutMs: 100, persistMs: 20 });
    await w.scan();
    await w.run();
    await w.stop();
    const accepted = rx.accepted();
    expect(ids.filter((id) => !accepted.has(id))).toEqual([]);
    expect(rx.received.filter((r) => r.verified !== true)).toEqual([]);
    // A retry carries the same webhook-id: the ids received are exactly the events.
    expect(new Set(rx.received.map((r) => r.id))).toEqual(new Set(ids));
    expect(rx.received.some((r) => r.answered === 'timeout')).toBe(true);
  }, 120_000);

  it('keeps the webhook-id on every retry and records the attempts', async () => {
    const { home, ep, rx } = await setup((n) => (n < 3 ? 503 : 200));
    const rec = await emitWebhookEvent(home, 'plugin.disabled', { plugin: 'p' });
    await flush(home);
    expect(rx.received.map((r) => r.id)).toEqual([rec!.id, rec!.id, rec!.id, rec!.id]);
    const state = await readEndpointState(home, ep.id);
    expect(state.history).toMatchObject([{ id: rec!.id, status: 'delivered', attempts: 4, lastStatus: 200 }]);
    expect(state.head).toBeUndefined();
  });

  it('dead-letters an event once its whole retry schedule has passed, and moves on to the next', async () => {
    const { home, ep, rx } = await setup((n) => (n < 4 ? 500 : 200));
    const first = await emitWebhookEvent(home, 'plugin.enabled', { plugin: 'a', n: 0 });
    const second = await emitWebhookEvent(home, 'plugin.enabled', { plugin: 'b', n: 1 });
    // Three retries of 1 ms: the fourth failure is the last.
    await flush(home, [1, 1, 1]);
    const state = await readEndpointState(home, ep.id);
    expect(state.dead).toMatchObject([{ id: first!.id, status: 'dead', attempts: 4, lastStatus: 500, rec: { id: first!.id } }]);
    expect(state.history.map((h) => [h.id, h.status])).toEqual([[first!.id, 'dead'], [second!.id, 'delivered']]);
    expect(rx.accepted()).toEqual(new Set([second!.id]));
  });

  it('takes a dead letter back once webhook-redeliver queued it again and it got through', async () => {
    const { home, ep, rx } = await setup((n) => (n < 2 ? 500 : 200));
    const rec = await emitWebhookEvent(home, 'plugin.enabled', { plugin: 'a', n: 0 });
    await flush(home, [1]);
    expect((await readEndpointState(home, ep.id)).dead.map((d) => d.id)).toEqual([rec!.id]);
    const { redeliver } = await import('../../../../src/core/webhooks/deliveries.js');
    await redeliver(home, `${rec!.id}:${ep.id}`);
    await flush(home, [1]);
    const state = await readEndpointState(home, ep.id);
    expect(state.dead).toEqual([]);
    expect(state.history.map((h) => h.status)).toEqual(['dead', 'delivered']);
    expect(rx.received.map((r) => r.id)).toEqual([rec!.id, rec!.id, rec!.id]);
  });

  it('does not follow a redirect: a 3xx is a failed attempt and the target is never called', async () => {
    const target = await startReceiver();
    cleanups.push(() => target.close());
    // The receiver answers 302 with a Location pointing at `target`.
    const { home, ep } = await setup(() => 302, () => ({ location: target.url }));
    const rec = await emitWebhookEvent(home, 'plugin.enabled', { plugin: 'p' });
    const w = new DeliveryWorker(home, { mode: 'flush', retryMs: [1], timeoutMs: 300, persistMs: 10 });
    await w.scan();
    await w.run();
    await w.stop();
    const state = await readEndpointState(home, ep.id);
    expect(state.dead[0]).toMatchObject({ id: rec!.id, lastStatus: 302, lastError: 'redirect (302) not followed' });
    expect(target.received).toEqual([]);
  });

  it('after delivering, starts where it stopped: a second run sends nothing again', async () => {
    const { home, rx } = await setup();
    for (let n = 0; n < 5; n++) await emitWebhookEvent(home, 'plugin.enabled', { plugin: 'p', n });
    await flush(home);
    await flush(home);
    expect(rx.received).toHaveLength(5);
    // The outbox still parses whole.
    for (const seg of await listSegments(home)) expect((await readSegment(home, seg)).corrupt).toBe(0);
  });

  it('in serve mode delivers events appended while it runs, without polling', async () => {
    const { home, rx } = await setup();
    const w = new DeliveryWorker(home, { mode: 'serve', retryMs: [5], timeoutMs: 300, pollMs: 60_000, persistMs: 10 });
    await w.scan();
    const running = w.run();
    const rec = await emitWebhookEvent(home, 'server.started', { transport: 'stdio' });
    for (let i = 0; i < 200 && !rx.accepted().has(rec!.id); i++) await new Promise((r) => setTimeout(r, 10));
    await w.stop();
    await running;
    expect(rx.accepted().has(rec!.id)).toBe(true);
  });
});
