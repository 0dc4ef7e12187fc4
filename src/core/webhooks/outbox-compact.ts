/** Deletes outbox segments that no endpoint still needs and no live process still writes. */
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pidAlive } from './deliver-lock.js';
import type { WorkerEndpoint } from './deliver-types.js';
import type { LocatedRecord } from './outbox-reader.js';
import { webhookPaths } from './paths.js';

/** The pid in a segment's name (`<time>-<pid>-<rand>.jsonl`). */
function writerPid(seg: string): number {
  return Number(seg.split('-')[1]);
}

/** Whether another process may still append to `seg`. */
function maybeWritten(seg: string, ownSegment: string | undefined): boolean {
  const pid = writerPid(seg);
  if (pid === process.pid) return seg === ownSegment;
  return Number.isInteger(pid) && pid > 0 && pidAlive(pid);
}

/** Finished segments are kept this long, so webhook-redeliver can still find recent events. */
export const SEGMENT_RETAIN_MS = 60 * 60 * 1000;

/** Removes finished segments from disk and from `segs`; returns how many. */
export async function compactSegments(home: string, segs: Map<string, { read: number; records: LocatedRecord[] }>, eps: WorkerEndpoint[], ownSegment: string | undefined, retainMs = SEGMENT_RETAIN_MS): Promise<number> {
  let removed = 0;
  for (const seg of [...segs.keys()]) {
    if (maybeWritten(seg, ownSegment)) continue;
    if (eps.some((e) => (e.pendingBySeg.get(seg)?.length ?? 0) > 0)) continue;
    const file = join(webhookPaths(home).segments, seg);
    const s = await stat(file).catch(() => undefined);
    if (s && Date.now() - s.mtimeMs < retainMs) continue;
    await rm(file, { force: true });
    segs.delete(seg);
    for (const e of eps) {
      if (seg in e.state.offsets) {
        delete e.state.offsets[seg];
        e.dirty = true;
      }
    }
    removed++;
  }
  return removed;
}
