import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PmError } from '../core/errors.js';
import { writeJsonAtomic } from '../core/fs/atomic-write.js';
import type { HandlerStats } from './hooks/dispatcher.js';
import type { PluginProcessStats } from './process/options.js';

/** What a host run leaves in <home>/stats/hooks.json for `pm hook-stats`. */
export interface PersistedHookStats {
  version: 1;
  writtenAt: string;
  handlers: HandlerStats[];
  plugins: PluginProcessStats[];
}

/** Where the last host run's hook stats live. */
export function hookStatsPath(home: string): string {
  return join(home, 'stats', 'hooks.json');
}

/** hooks.json keeps figures only; the raw histograms live in the run files. */
const withoutHistogram = <T extends { histogram?: unknown }>({ histogram: _h, ...rest }: T) => rest;

/** Writes the hook stats of this run (without histograms), replacing the previous run's (atomically). */
export async function writeHookStats(home: string, handlers: HandlerStats[], plugins: PluginProcessStats[]): Promise<void> {
  const data: PersistedHookStats = { version: 1, writtenAt: new Date().toISOString(), handlers: handlers.map(withoutHistogram), plugins: plugins.map(withoutHistogram) };
  await writeJsonAtomic(hookStatsPath(home), data);
}

/** Reads the last run's hook stats, or undefined when no host has run yet. */
export async function readHookStats(home: string): Promise<PersistedHookStats | undefined> {
  let raw: string;
  try {
    raw = await readFile(hookStatsPath(home), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return JSON.parse(raw) as PersistedHookStats;
  } catch (err) {
    throw new PmError('STATS_CORRUPT', `${hookStatsPath(home)} is not valid JSON: ${(err as Error).message}`, { hint: 'delete it; the next pm serve or pm hook-run writes a new one' });
  }
}
