// At-least-once across kill -9: the delivering process (pm webhook-flush, the real bin) is killed at
// random moments; after a restart every event arrives and the outbox and delivery state still parse.
import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { addEndpoint } from '../../../src/core/webhooks/endpoints.js';
import { emitWebhookEvent } from '../../../src/core/webhooks/emit.js';
import { listSegments, readSegment } from '../../../src/core/webhooks/outbox-reader.js';
import { outboxWriter } from '../../../src/core/webhooks/outbox-writer.js';
import { webhookPaths } from '../../../src/core/webhooks/paths.js';
import { pm, pmBin, tempDir } from '../../helpers/pm.js';
import { storePlugin } from '../../helpers/store.js';
import { startReceiver } from '../../helpers/webhook-receiver.js';

const tmp = await tempDir('pm-wh-kill-');
afterAll(() => tmp.cleanup());

// Retries 1 ms apart; a last delay long enough that nothing is dead-lettered during the test.
const env = { PM_WEBHOOK_RETRY_MS: '1,1,1,1,1,1,1,1,600000', PM_WEBHOOK_TIMEOUT_MS: '500' };

async function outboxParses(home: string): Promise<number> {
  let records = 0;
  for (const seg of await listSegments(home)) {
    const r = await readSegment(home, seg);
    expect(r.corrupt).toBe(0);
    records += r.records.length;
  }
  // Delivery state is written atomically: whole or the previous version, never torn.
  for (const f of await readdir(webhookPaths(home).state).catch(() => [] as string[])) {
    if (f.endsWith('.json')) JSON.parse(await readFile(join(webhookPaths(home).state, f), 'utf8'));
  }
  return records;
}

describe('kill -9 of the delivering process', () => {
  it('loses no event over 20 kills at random moments, and the outbox parses after each', async () => {
    const home = join(tmp.dir, 'flush');
    const secret = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const rx = await startReceiver({ secret, answer: () => (random() < 0.2 ? 500 : 200) });
    try {
      await addEndpoint(home, { url: rx.url, events: '*', secret });
      const ids: string[] = [];
      const emit = async (count: number) => {
        const recs = await Promise.all(Array.from({ length: count }, (_, i) => emitWebhookEvent(home, 'plugin.enabled', { plugin: 'p', n: ids.length + i })));
        ids.push(...recs.map((r) => r!.id));
      };
      await emit(300);
      for (let trial = 0; trial < 20; trial++) {
        await emit(10);
        const child = execa(process.execPath, [pmBin, 'webhook-flush', '--timeout', '30'], { env: { ...env, PM_HOME: home, NO_COLOR: '1' }, reject: false });
        // Killed at a random moment once it is delivering (its start-up time varies with the machine's load).
        const seen = rx.received.length;
        for (let i = 0; i < 300 && rx.received.length === seen && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 10));
        await new Promise((r) => setTimeout(r, Math.floor(random() * 150)));
        child.kill('SIGKILL');
        await child;
        await outboxParses(home);
      }
      // The kills did land mid-delivery: some events were out before the last run.
      expect(rx.accepted().size).toBeGreaterThan(0);
      const last = await pm(['webhook-flush', '--timeout', '60'], { env: { ...env, PM_HOME: home } });
      expect(last.stderr).toBe('');
      expect(last.exitCode).toBe(0);
      const accepted = rx.accepted();
      expect(ids.filter((id) => !accepted.has(id))).toEqual([]);
      expect(rx.received.every((r) => r.verified)).toBe(true);
    } finally {
      await outboxWriter(home).close();
      await rx.close();
    }
  }, 180_000);

  it('leaves the outbox readable when a pm is killed half-way through appending an event; earlier events still go out', async () => {
    const home = join(tmp.dir, 'append');
    const rx = await startReceiver();
    try {
      await addEndpoint(home, { url: rx.url, events: '*' });
      const dir = await storePlugin(join(tmp.dir, 'src', 'notes'), 'notes', '1.0.0');
      expect((await pm(['plugin-install', dir], { env: { PM_HOME: home } })).exitCode).toBe(0);
      const killed = await pm(['plugin-disable', 'notes'], { env: { PM_HOME: home, PM_CRASH_AT: 'outbox-append' } });
      expect(killed.exitCode).not.toBe(0);
      const segs = await listSegments(home);
      const torn = await Promise.all(segs.map((s) => readSegment(home, s)));
      expect(torn.flatMap((r) => r.records.map((x) => x.rec.type))).toEqual(['plugin.installed']);
      expect(torn.every((r) => r.corrupt === 0)).toBe(true);
      const flushed = await pm(['webhook-flush', '--timeout', '10'], { env: { ...env, PM_HOME: home } });
      expect(flushed.exitCode).toBe(0);
      expect(rx.received.map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual(['plugin.installed']);
    } finally {
      await rx.close();
    }
  }, 60_000);
});
