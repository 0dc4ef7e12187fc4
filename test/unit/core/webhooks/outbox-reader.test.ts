import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listSegments, readSegment } from '../../../../src/core/webhooks/outbox-reader.js';
import { webhookPaths } from '../../../../src/core/webhooks/paths.js';
import { tempDir } from '../../../helpers/pm.js';

let home: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir: home, cleanup } = await tempDir('pm-outbox-')));
afterEach(() => cleanup());

const line = (id: string) => JSON.stringify({ id, type: 'plugin.enabled', timestamp: '2026-01-01T00:00:00.000Z', data: { plugin: 'p' }, to: ['ep_1'] }) + '\n';

async function segment(name: string, text: string): Promise<void> {
  await mkdir(webhookPaths(home).segments, { recursive: true });
  await writeFile(join(webhookPaths(home).segments, name), text);
}

describe('reading the outbox', () => {
  it('leaves a torn last line (a write cut short by kill -9) for later instead of failing', async () => {
    const whole = line('msg_a') + line('msg_b');
    await segment('0001-1-aa.jsonl', whole + line('msg_c').slice(0, 25));
    const r = await readSegment(home, '0001-1-aa.jsonl');
    expect(r.records.map((x) => x.rec.id)).toEqual(['msg_a', 'msg_b']);
    expect(r.end).toBe(Buffer.byteLength(whole));
    expect(r.corrupt).toBe(0);
  });

  it('reads on from an offset, and picks up a line once it is complete', async () => {
    await segment('0001-1-aa.jsonl', line('msg_a') + line('msg_b').slice(0, 10));
    const first = await readSegment(home, '0001-1-aa.jsonl');
    await appendFile(join(webhookPaths(home).segments, '0001-1-aa.jsonl'), line('msg_b').slice(10));
    const next = await readSegment(home, '0001-1-aa.jsonl', first.end);
    expect(next.records.map((x) => [x.rec.id, x.start])).toEqual([['msg_b', first.end]]);
  });

  it('skips and counts complete lines that are not outbox records', async () => {
    await segment('0001-1-aa.jsonl', line('msg_a') + '{"half":\n' + '[]\n' + line('msg_d'));
    const r = await readSegment(home, '0001-1-aa.jsonl');
    expect(r.records.map((x) => x.rec.id)).toEqual(['msg_a', 'msg_d']);
    expect(r.corrupt).toBe(2);
  });

  it('lists segments oldest first and treats a missing outbox as empty', async () => {
    expect(await listSegments(home)).toEqual([]);
    await segment('0002-1-aa.jsonl', '');
    await segment('0001-9-bb.jsonl', '');
    await segment('notes.txt', '');
    expect(await listSegments(home)).toEqual(['0001-9-bb.jsonl', '0002-1-aa.jsonl']);
    expect(await readSegment(home, 'gone.jsonl', 5)).toEqual({ records: [], end: 5, corrupt: 0 });
  });
});
