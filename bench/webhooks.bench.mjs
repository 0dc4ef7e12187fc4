// Webhooks (issue 17): deliveries/s from the outbox to a local receiver, against a bare loop of
// keep-alive POSTs to the same receiver (the floor of any sender); outbox append cost per event
// with fsync batching (events appended together share one fsync), and without it for reference.
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median, repoRoot } from './lib.mjs';

const dist = (p) => import(pathToFileURL(join(repoRoot, 'dist', p)).href);
const EVENTS = 2000;
const ROUNDS = 5;

function receiver() {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/hook`, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) })));
}

export default async function webhooksBench() {
  const { addEndpoint } = await dist('core/webhooks/endpoints.js');
  const { emitWebhookEvent } = await dist('core/webhooks/emit.js');
  const { outboxWriter } = await dist('core/webhooks/outbox-writer.js');
  const { DeliveryWorker } = await dist('core/webhooks/deliver-worker.js');
  const { postWebhook, createAgents } = await dist('core/webhooks/deliver-http.js');
  const { webhookHeaders } = await dist('core/webhooks/signature.js');
  const root = mkdtempSync(join(tmpdir(), 'pm-bench-wh-'));
  const rx = await receiver();
  try {
    const pm = [], bare = [], batched = [], single = [];
    for (let round = 0; round < ROUNDS; round++) {
      const home = join(root, `home${round}`);
      const ep = await addEndpoint(home, { url: rx.url, events: '*' });
      // Append: EVENTS events emitted 50 at a time (a busy server), then 200 one after another.
      let t = performance.now();
      for (let i = 0; i < EVENTS; i += 50) await Promise.all(Array.from({ length: 50 }, (_, j) => emitWebhookEvent(home, 'plugin.enabled', { plugin: 'bench', n: i + j })));
      batched.push((performance.now() - t) / EVENTS);
      t = performance.now();
      for (let i = 0; i < 200; i++) await emitWebhookEvent(home, 'plugin.enabled', { plugin: 'bench', n: i });
      single.push((performance.now() - t) / 200);
      await outboxWriter(home).close();
      // Deliver: everything in the outbox, in order, signed, state recorded.
      const worker = new DeliveryWorker(home, { mode: 'flush', retryMs: [1] });
      t = performance.now();
      await worker.scan();
      await worker.run();
      await worker.stop();
      pm.push(((EVENTS + 200) * 1000) / (performance.now() - t));
      // The floor: the same number of signed POSTs in a row over one keep-alive agent, nothing recorded.
      const agents = createAgents();
      const body = JSON.stringify({ type: 'plugin.enabled', timestamp: new Date().toISOString(), data: { plugin: 'bench' } });
      t = performance.now();
      for (let i = 0; i < EVENTS + 200; i++) await postWebhook(rx.url, body, webhookHeaders(ep.secret, `msg_${i}`, body), { timeoutMs: 5000, agents });
      bare.push(((EVENTS + 200) * 1000) / (performance.now() - t));
      agents.destroy();
      rmSync(home, { recursive: true, force: true });
    }
    const rate = median(pm), floor = median(bare);
    console.log(`webhook deliveries to a local receiver (${EVENTS + 200} events, median of ${ROUNDS}): ${rate.toFixed(0)}/s; baseline bare keep-alive POST loop ${floor.toFixed(0)}/s; ratio ${(rate / floor).toFixed(2)}; target >= 500/s: ${rate >= 500 ? 'met' : 'MISSED'}`);
    const b = median(batched), s = median(single);
    console.log(`webhook outbox append per event, 50 emitted together (one fsync per batch, median of ${ROUNDS}): ${b.toFixed(3)} ms; baseline one event at a time (one fsync each) ${s.toFixed(3)} ms; ratio ${(b / s).toFixed(2)}; target <= 0.2 ms: ${b <= 0.2 ? 'met' : 'MISSED'}`);
  } finally {
    await rx.close();
    rmSync(root, { recursive: true, force: true });
  }
}
