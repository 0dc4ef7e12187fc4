import { readFile } from 'node:fs/promises';
import { PmError } from '../../core/errors.js';
import { readHookStats, type PersistedHookStats } from '../stats-file.js';
import { toolStatsPath } from './tool-stats.js';
import type { ToolStatsEntry } from './tool-stats.js';

/** What `pm serve` leaves in <home>/stats/tools.json. */
export interface PersistedToolStats {
  version: 1;
  startedAt: string;
  writtenAt: string;
  pid: number;
  tools: Record<string, ToolStatsEntry>;
}

/** `pm stats --json`: the last server run's tool stats and the last host run's hook stats (null when none). */
export interface StatsReport {
  tools: PersistedToolStats | null;
  hooks: PersistedHookStats | null;
}

async function readToolStats(home: string): Promise<PersistedToolStats | null> {
  const file = toolStatsPath(home);
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    return JSON.parse(raw) as PersistedToolStats;
  } catch (err) {
    throw new PmError('STATS_CORRUPT', `${file} is not valid JSON: ${(err as Error).message}`, { hint: 'delete it; the next pm serve writes a new one' });
  }
}

/** Reads the persisted per-tool and per-hook-handler stats of PM_HOME. */
export async function readStats(opts: { home: string }): Promise<StatsReport> {
  const [tools, hooks] = await Promise.all([readToolStats(opts.home), readHookStats(opts.home)]);
  return { tools, hooks: hooks ?? null };
}
