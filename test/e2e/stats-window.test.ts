import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pm, tempDir } from '../helpers/pm.js';
import { fixturesDir } from '../helpers/host-plugins.js';
import { Histogram } from '../../src/host/metrics.js';

const tmp = await tempDir('pm-stats-window-');
const home = join(tmp.dir, 'home');
const run = (args: string[]) => pm([...args, '--home', home]);

// A run from ten days ago, as an older pm serve would have left it.
async function writeOldDay(): Promise<void> {
  const when = new Date(Date.now() - 10 * 86_400_000);
  const day = when.toISOString().slice(0, 10);
  const h = new Histogram();
  for (let i = 0; i < 5; i++) h.record(40);
  const handler = { event: 'tool:after-call', plugin: 'notes', index: 0, priority: 20, match: 'notes.*', calls: 5, errors: 0, timeouts: 0, denied: 0, skipped: 0, latency: h.summary(), histogram: h.toJSON() };
  await mkdir(join(home, 'stats', 'runs', day), { recursive: true });
  await writeFile(join(home, 'stats', 'runs', day, 'old-run.json'), JSON.stringify({
    version: 2, source: 'serve', pid: 1, startedAt: when.toISOString(), writtenAt: when.toISOString(),
    tools: { 'notes.add': { calls: 5, errors: 1, histogram: h.toJSON() } }, handlers: [handler], plugins: [],
  }));
}

beforeAll(async () => {
  expect((await run(['plugin-install', join(fixturesDir, 'host-notes')])).exitCode).toBe(0);
  await writeOldDay();
  // Two separate host runs, as a user trying a hook twice would make.
  for (let i = 0; i < 2; i++) expect((await run(['hook-run', 'tool:after-call', '--tool', 'notes.echo', '--data', '{"content":[]}'])).exitCode).toBe(0);
});
afterAll(() => tmp.cleanup());

const notesAfterCall = (s: { handlers: { plugin: string; event: string; calls: number }[] }) =>
  s.handlers.find((h) => h.plugin === 'notes' && h.event === 'tool:after-call');

describe('stats across runs', () => {
  it('counts both hook-runs in pm hook-stats and pm stats, each run in its own file', async () => {
    const hs = JSON.parse((await run(['hook-stats', '--json'])).stdout);
    expect(notesAfterCall(hs)).toMatchObject({ calls: 2, errors: 0 });
    const st = JSON.parse((await run(['stats', '--json'])).stdout);
    expect(notesAfterCall(st)).toMatchObject({ calls: 2 });
    expect(st.tools).toEqual({});
    const today = new Date().toISOString().slice(0, 10);
    expect((await readdir(join(home, 'stats', 'runs', today))).filter((f) => f.endsWith('.json')).length).toBeGreaterThanOrEqual(2);
  });

  it('leaves out a day older than --since and takes it in with a wider window or all', async () => {
    expect(JSON.parse((await run(['stats', '--json', '--since', '24h'])).stdout).tools['notes.add']).toBeUndefined();
    const wide = JSON.parse((await run(['stats', '--json', '--since', '30d'])).stdout);
    expect(wide.tools['notes.add']).toMatchObject({ calls: 5, errors: 1 });
    expect(notesAfterCall(wide)).toMatchObject({ calls: 7 });
    const all = JSON.parse((await run(['hook-stats', '--json', '--since', 'all'])).stdout);
    expect(all).toMatchObject({ window: 'all', since: null });
    // Merged from histograms: 5 samples at 40 ms and 2 fast ones put p50 near 40 ms, never at the fast run's own p50.
    expect(notesAfterCall(all)).toMatchObject({ calls: 7, latency: expect.objectContaining({ count: 7, max: 40 }) });
    expect((notesAfterCall(all) as unknown as { latency: { p50: number } }).latency.p50).toBeGreaterThan(35);
  });

  it('shows latency in ms with one decimal and the same columns in both commands', async () => {
    const a = (await run(['stats', '--since', '30d'])).stdout;
    const b = (await run(['hook-stats', '--since', '30d'])).stdout;
    const header = /EVENT +PLUGIN +CALLS +ERRORS +TIMEOUTS +DENIED +SKIPPED +P50 +P95 +P99 +MAX/;
    expect(a).toMatch(header);
    expect(b).toMatch(header);
    expect(a).toMatch(/notes\.add +5 +1 +\d+\.\d ms +\d+\.\d ms +\d+\.\d ms +40\.0 ms/);
    expect(b).toMatch(/tool:after-call +notes +7 +0 +0 +0 +0 +\d+\.\d ms/);
    expect(b).toMatch(/^Hook stats: 3 runs in the last 30d \(/);
  });

  for (const cmd of ['stats', 'hook-stats']) {
    it(`${cmd} refuses a --since that is not a duration with exit 2 and a hint, printing nothing on stdout`, async () => {
      const r = await run([cmd, '--since', 'yesterday']);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toContain("error: --since 'yesterday' is not a duration");
      expect(r.stderr).toContain("hint: give a whole number and a unit: 30m, 24h, 7d, or 'all'");
      expect(r.stdout).toBe('');
    });
  }
});
