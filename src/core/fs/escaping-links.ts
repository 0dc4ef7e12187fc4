import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { isWithin, realPathNearest } from './real-path.js';

/** A symbolic link inside a folder that leads out of it. */
export interface EscapingLink {
  /** The link, relative to the folder (POSIX separators). */
  path: string;
  /** Where it really leads. */
  target: string;
}

/**
 * The first symbolic link under `dir` (every entry, ignore rules or not: the plugin can read
 * them all) whose real target lies outside `dir`, in name order; undefined when there is none.
 */
export async function findEscapingLink(dir: string): Promise<EscapingLink | undefined> {
  const root = realPathNearest(dir);
  async function walk(rel: string): Promise<EscapingLink | undefined> {
    const entries = (await readdir(join(root, rel), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isSymbolicLink()) {
        const target = realPathNearest(join(root, path));
        if (!isWithin(target, root)) return { path, target };
      } else if (e.isDirectory()) {
        const found = await walk(path);
        if (found) return found;
      }
    }
    return undefined;
  }
  return walk('');
}
