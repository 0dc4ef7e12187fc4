import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Histogram } from '../../../src/host/metrics.js';
import { mergeRuns, readRuns, RunStatsWriter } from '../../../src/host/stats-runs.js';

const dirs: string[] = [];
const home = async () => { const d = await mkdtemp(join(tmpdir(), 'pm-stats-runs-')); dirs.push(d); return d; };
afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

const toolsOf = (samples: number[], errors = 0) => {
  const h = new Histogram();
  for (const s of samples) h.record(s);
  return { 'a.t': { calls: samples.length, errors, histogram: h.toJSON() } };
};

describe('RunStatsWriter and readRuns', () => {
  it('keeps every concurrent run: two writers in one home never lose each other\'s counts', async () => {
    const h = await home();
    const w1 = new RunStatsWriter(h, 'serve');
    const w2 = new RunStatsWriter(h, 'serve', w1.startedAt);
    await Promise.all([w1.write({ tools: toolsOf([1, 2]), handlers: [], plugins: [] }), w2.write({ tools: toolsOf([3], 1), handlers: [], plugins: [] })]);
    // A later persist of the same run replaces only that run's figures.
    await w1.write({ tools: toolsOf([1, 2, 4]), handlers: [], plugins: [] });
    const merged = mergeRuns(await readRuns(h));
    expect(merged.runs).toBe(2);
    expect(merged.tools['a.t']).toMatchObject({ calls: 4, errors: 1, count: 4, max: 4 });
  });

  it('leaves out runs last written before the window start', async () => {
    const h = await home();
    await new RunStatsWriter(h, 'host').write({ tools: toolsOf([1]), handlers: [], plugins: [] });
    expect(await readRuns(h, new Date(Date.now() + 60_000))).toEqual([]);
    expect(await readRuns(h, new Date(Date.now() - 60_000))).toHaveLength(1);
  });

  it('reads an empty list when no run has written yet', async () => {
    expect(await readRuns(await home())).toEqual([]);
  });
});

describe('mergeRuns', () => {
  it('gives the percentiles of all samples together, not of one run', () => {
    const all = new Histogram();
    const fast = [1, 1, 1, 1, 1, 1];
    const slow = [100, 100, 100, 100, 100, 100, 100];
    for (const s of [...fast, ...slow]) all.record(s);
    const run = (tools: ReturnType<typeof toolsOf>) => ({ version: 2 as const, source: 'host' as const, pid: 1, startedAt: 'x', writtenAt: 'x', tools, handlers: [], plugins: [] });
    const merged = mergeRuns([run(toolsOf(fast)), run(toolsOf(slow))]);
    expect(merged.tools['a.t']).toMatchObject({ calls: 13, ...all.summary() });
    expect(merged.tools['a.t']!.p50).toBeGreaterThan(90);
  });
});
