import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { OutboxWriter } from '../../../../src/core/webhooks/outbox-writer.js';
import { listSegments, readSegment } from '../../../../src/core/webhooks/outbox-reader.js';
import { newMessageId } from '../../../../src/core/webhooks/outbox-record.js';
import { webhookPaths } from '../../../../src/core/webhooks/paths.js';
import { tempDir } from '../../../helpers/pm.js';

let home: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir: home, cleanup } = await tempDir('pm-outbox-')));
afterEach(() => cleanup());

const rec = (n: number) => ({ id: newMessageId(), type: 'tool.called', timestamp: new Date().toISOString(), data: { n }, to: ['ep_1'] });

describe('the outbox writer', () => {
  it('appends concurrent events as whole lines, in the order append was called, to one segment of this process', async () => {
    const w = new OutboxWriter(home);
    const records = Array.from({ length: 300 }, (_, n) => rec(n));
    await Promise.all(records.map((r) => w.append([r])));
    await w.close();
    const segs = await listSegments(home);
    expect(segs).toHaveLength(1);
    expect(segs[0]).toContain(`-${process.pid}-`);
    const read = await readSegment(home, segs[0]!);
    expect(read.records.map((x) => x.rec.id)).toEqual(records.map((r) => r.id));
    expect(read.corrupt).toBe(0);
  });

  it('keeps the segment readable only by its owner (events may carry tool payloads)', async () => {
    const w = new OutboxWriter(home);
    await w.append([rec(1)]);
    const file = join(webhookPaths(home).segments, w.segment!);
    await w.close();
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('tells listeners after each durable append', async () => {
    const w = new OutboxWriter(home);
    let told = 0;
    w.onAppend(() => told++);
    await w.append([rec(1), rec(2)]);
    await w.close();
    expect(told).toBe(1);
  });

  it('refuses an event JSON cannot encode without disturbing the others', async () => {
    const w = new OutboxWriter(home);
    const bad = { ...rec(2), data: { n: 1n } as unknown as Record<string, unknown> };
    const good = [rec(1), rec(3)];
    const results = await Promise.allSettled([w.append([good[0]!]), w.append([bad]), w.append([good[1]!])]);
    await w.close();
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const read = await readSegment(home, (await listSegments(home))[0]!);
    expect(read.records.map((x) => x.rec.id)).toEqual(good.map((r) => r.id));
  });
});
