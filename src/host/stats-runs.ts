/**
 * Stats that survive: every host or server run writes its own file under
 * <home>/stats/runs/<YYYY-MM-DD>/ (UTC day the run started), rewritten whole on each persist.
 * Readers merge the runs of a window. One file per run means concurrent servers never
 * share a file, so no lock is needed and no count is lost; histograms make percentiles mergeable.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PmError } from '../core/errors.js';
import { writeJsonAtomic } from '../core/fs/atomic-write.js';
import type { HandlerStats } from './hooks/dispatcher.js';
import { Histogram, type HistogramJSON } from './metrics.js';
import type { PluginProcessStats } from './process/options.js';

/** How many days of run files are kept (older day folders are removed when a run writes). */
export const KEPT_DAYS = 30;

/** One tool's figures in a run file. */
export interface RunToolStats {
  calls: number;
  errors: number;
  clients?: Record<string, number>;
  histogram: HistogramJSON;
}

/** What one run leaves in its file. */
export interface RunStatsFile {
  version: 2;
  source: 'serve' | 'host';
  pid: number;
  startedAt: string;
  writtenAt: string;
  tools: Record<string, RunToolStats>;
  handlers: HandlerStats[];
  plugins: PluginProcessStats[];
}

/** The runs' root folder. */
export function runsDir(home: string): string {
  return join(home, 'stats', 'runs');
}

/** Writes one run's figures to its own file; each write replaces the previous figures of the same run. */
export class RunStatsWriter {
  readonly file: string;
  private pruned = false;

  constructor(private readonly home: string, private readonly source: 'serve' | 'host', readonly startedAt = new Date()) {
    const iso = this.startedAt.toISOString();
    this.file = join(runsDir(home), iso.slice(0, 10), `${iso.replace(/[:.]/g, '-')}-${process.pid}-${randomBytes(3).toString('hex')}.json`);
  }

  /** Writes the run's cumulative figures atomically (handlers and plugins must carry their histograms). */
  async write(fig: { tools?: Record<string, RunToolStats>; handlers: HandlerStats[]; plugins: PluginProcessStats[] }): Promise<void> {
    const data: RunStatsFile = {
      version: 2, source: this.source, pid: process.pid, startedAt: this.startedAt.toISOString(), writtenAt: new Date().toISOString(),
      tools: fig.tools ?? {}, handlers: fig.handlers, plugins: fig.plugins.map(({ pid: _pid, ...p }) => p),
    };
    await writeJsonAtomic(this.file, data);
    if (!this.pruned) {
      this.pruned = true;
      await pruneOldDays(this.home).catch(() => {});
    }
  }
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

async function pruneOldDays(home: string): Promise<void> {
  const oldest = new Date(Date.now() - KEPT_DAYS * 86_400_000).toISOString().slice(0, 10);
  for (const d of await readdir(runsDir(home))) if (DAY_RE.test(d) && d < oldest) await rm(join(runsDir(home), d), { recursive: true, force: true });
}

/** Every run file whose last write is at or after `since` (all kept runs when undefined), oldest first. */
export async function readRuns(home: string, since?: Date): Promise<RunStatsFile[]> {
  let days: string[];
  try {
    days = (await readdir(runsDir(home))).filter((d) => DAY_RE.test(d));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const runs: RunStatsFile[] = [];
  for (const day of days) {
    let files: string[];
    try {
      files = (await readdir(join(runsDir(home), day))).filter((f) => f.endsWith('.json') && !f.startsWith('.'));
    } catch {
      continue; // pruned by a concurrent writer
    }
    for (const f of files) {
      const file = join(runsDir(home), day, f);
      let raw: string;
      try {
        raw = await readFile(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw err;
      }
      let run: RunStatsFile;
      try {
        run = JSON.parse(raw) as RunStatsFile;
      } catch (err) {
        throw new PmError('STATS_CORRUPT', `${file} is not valid JSON: ${(err as Error).message}`, { hint: 'delete it; only that run\'s figures are lost' });
      }
      if (run?.version !== 2 || typeof run.writtenAt !== 'string') throw new PmError('STATS_CORRUPT', `${file} is not a pm stats run file`, { hint: 'delete it; only that run\'s figures are lost' });
      if (since && Date.parse(run.writtenAt) < since.getTime()) continue;
      runs.push(run);
    }
  }
  return runs.sort((a, b) => a.writtenAt.localeCompare(b.writtenAt));
}

/** The merged figures of several runs, as `pm stats` and `pm hook-stats` show them. */
export interface MergedStats {
  /** Runs merged, and the span they cover (null when none). */
  runs: number;
  from: string | null;
  to: string | null;
  tools: Record<string, { calls: number; errors: number; clients?: Record<string, number> } & ReturnType<Histogram['summary']>>;
  handlers: HandlerStats[];
  plugins: PluginProcessStats[];
}

const hist = (j: HistogramJSON | undefined) => (j ? Histogram.fromJSON(j) : new Histogram());
const addCounts = (a: Record<string, number>, b: Record<string, number> | undefined) => {
  for (const [k, v] of Object.entries(b ?? {})) a[k] = (a[k] ?? 0) + v;
  return a;
};

/** Sums counts and merges histograms across runs; state and last error come from the latest run. */
export function mergeRuns(runs: RunStatsFile[]): MergedStats {
  const tools = new Map<string, { calls: number; errors: number; clients: Record<string, number>; h: Histogram }>();
  const handlers = new Map<string, { s: HandlerStats; h: Histogram }>();
  const plugins = new Map<string, { s: PluginProcessStats; h: Histogram }>();
  for (const run of runs) {
    for (const [name, t] of Object.entries(run.tools ?? {})) {
      const e = tools.get(name) ?? { calls: 0, errors: 0, clients: {}, h: new Histogram() };
      e.calls += t.calls;
      e.errors += t.errors;
      addCounts(e.clients, t.clients);
      e.h.merge(hist(t.histogram));
      tools.set(name, e);
    }
    for (const s of run.handlers ?? []) {
      const key = `${s.event}\0${s.plugin}\0${s.index}`;
      const e = handlers.get(key);
      if (!e) handlers.set(key, { s: { ...s }, h: hist(s.histogram) });
      else {
        for (const k of ['calls', 'errors', 'timeouts', 'denied', 'skipped'] as const) e.s[k] += s[k];
        e.s.priority = s.priority;
        if (s.lastError) e.s.lastError = s.lastError;
        e.h.merge(hist(s.histogram));
      }
    }
    for (const p of run.plugins ?? []) {
      const e = plugins.get(p.name);
      if (!e) plugins.set(p.name, { s: { ...p, counters: { ...p.counters } }, h: hist(p.histogram) });
      else {
        e.s.state = p.state;
        e.s.starts += p.starts;
        e.s.crashes += p.crashes;
        addCounts(e.s.counters, p.counters);
        if (p.lastError) e.s.lastError = p.lastError;
        e.h.merge(hist(p.histogram));
      }
    }
  }
  const out: MergedStats = { runs: runs.length, from: runs.length ? runs.map((r) => r.startedAt).sort()[0]! : null, to: runs.at(-1)?.writtenAt ?? null, tools: {}, handlers: [], plugins: [] };
  for (const name of [...tools.keys()].sort()) {
    const { calls, errors, clients, h } = tools.get(name)!;
    out.tools[name] = { calls, errors, ...h.summary(), ...(Object.keys(clients).length ? { clients: Object.fromEntries(Object.entries(clients).sort(([a], [b]) => a.localeCompare(b))) } : {}) };
  }
  out.handlers = [...handlers.values()].map(({ s: { histogram: _h, ...s }, h }) => ({ ...s, latency: h.summary() }))
    .sort((a, b) => a.event.localeCompare(b.event) || a.plugin.localeCompare(b.plugin) || a.index - b.index);
  out.plugins = [...plugins.values()].map(({ s: { histogram: _h, ...s }, h }) => ({ ...s, latency: h.summary() })).sort((a, b) => a.name.localeCompare(b.name));
  return out;
}
