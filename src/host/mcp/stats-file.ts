import { writeJsonAtomic } from '../../core/fs/atomic-write.js';

/** Persists one server run's stats (atomically, so `pm stats` never reads half a file). */
export async function writeStatsFile(path: string, data: unknown): Promise<void> {
  await writeJsonAtomic(path, data);
}
