import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/**
 * Regular files under `dir` (recursively, links not followed) whose name passes `accept`,
 * as absolute paths, sorted; node_modules is skipped unless asked. A missing folder has none.
 */
export async function listFilesRecursive(dir: string, opts: { accept?: (name: string) => boolean; includeNodeModules?: boolean } = {}): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw err;
  }
  return entries
    .filter((e) => e.isFile() && (!opts.accept || opts.accept(e.name)))
    // parentPath is Node 20.12+; `path` is its older name.
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
    .filter((p) => opts.includeNodeModules || !relative(dir, p).split(sep).includes('node_modules'))
    .sort();
}
