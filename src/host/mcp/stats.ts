import { mergeRuns, readRuns, type MergedStats } from '../stats-runs.js';
import { DEFAULT_SINCE, parseSince } from '../stats-window.js';

/** `pm stats --json` and `pm hook-stats --json`: the merged figures of every run active in the window. */
export interface StatsReport extends MergedStats {
  /** The `--since` value, and the window's start (null for all kept days). */
  window: string;
  since: string | null;
}

/** Reads and merges the run files of PM_HOME whose last write falls in the `--since` window (default 24h). */
export async function readStats(opts: { home: string; since?: string }): Promise<StatsReport> {
  const window = opts.since ?? DEFAULT_SINCE;
  const since = parseSince(window);
  const merged = mergeRuns(await readRuns(opts.home, since));
  return { window, since: since?.toISOString() ?? null, ...merged };
}
