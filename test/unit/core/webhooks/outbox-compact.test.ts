import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compactSegments } from '../../../../src/core/webhooks/outbox-compact.js';
import type { WorkerEndpoint } from '../../../../src/core/webhooks/deliver-types.js';
import { listSegments } from '../../../../src/core/webhooks/outbox-reader.js';
import { webhookPaths } from '../../../../src/core/webhooks/paths.js';
import { tempDir } from '../../../helpers/pm.js';

let home: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir: home, cleanup } = await tempDir('pm-wh-compact-')));
afterEach(() => cleanup());

const deadPid = Number(spawnSync(process.execPath, ['-e', 'console.log(process.pid)']).stdout.toString().trim());

async function segment(name: string, ageMs: number): Promise<void> {
  const dir = webhookPaths(home).segments;
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, name), '');
  const t = (Date.now() - ageMs) / 1000;
  await utimes(join(dir, name), t, t);
}

const endpoint = (pending: Record<string, number[]>): WorkerEndpoint => ({
  ep: { id: 'ep_1', url: 'http://x/', events: ['*'], secret: 'whsec_x', includePayloads: false, createdAt: '' },
  state: { version: 1, offsets: Object.fromEntries(Object.keys(pending).map((s) => [s, 10])), history: [], dead: [] },
  queue: [], keys: new Set(), pendingBySeg: new Map(Object.entries(pending)), dirty: false, failuresThisRun: 0, wake() {},
});

describe('outbox compaction', () => {
  it('deletes a finished segment of a dead writer once it is older than the retention, and forgets its offset', async () => {
    const done = `0001-${deadPid}-aa.jsonl`;
    await segment(done, 10_000);
    const segs = new Map([[done, { read: 0, records: [] }]]);
    const e = endpoint({ [done]: [] });
    expect(await compactSegments(home, segs, [e], undefined, 1000)).toBe(1);
    expect(await listSegments(home)).toEqual([]);
    expect(e.state.offsets).toEqual({});
    expect(e.dirty).toBe(true);
  });

  it('keeps segments an endpoint still waits on, young ones, and those a live process may still append to', async () => {
    const waiting = `0001-${deadPid}-aa.jsonl`, young = `0002-${deadPid}-bb.jsonl`, live = `0003-${process.ppid}-cc.jsonl`, own = `0004-${process.pid}-dd.jsonl`;
    for (const s of [waiting, live, own]) await segment(s, 10_000);
    await segment(young, 0);
    const segs = new Map([waiting, young, live, own].map((s) => [s, { read: 0, records: [] }]));
    expect(await compactSegments(home, segs, [endpoint({ [waiting]: [0] })], own, 1000)).toBe(0);
    expect(await listSegments(home)).toEqual([waiting, young, live, own]);
  });
});
