import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PluginFile } from './types.js';

/** Folders never walked: version control metadata is not part of a plugin. */
const SKIP = new Set(['.git', '.hg', '.svn']);

/**
 * Lists every entry under `dir` without following links, in walk order (each folder followed by
 * its contents, names sorted). A folder's entries are stat'ed together and its subfolders walked
 * together, so thousands of lstat calls overlap on the thread pool; the order does not change.
 */
export async function listPluginFiles(dir: string): Promise<PluginFile[]> {
  const walk = async (abs: string, rel: string): Promise<PluginFile[]> => {
    const names = (await readdir(abs)).sort().filter((name) => rel || !SKIP.has(name));
    const parts = await Promise.all(names.map(async (name): Promise<PluginFile[]> => {
      const a = join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = await lstat(a);
      const kind = st.isSymbolicLink() ? 'link' : st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
      const self: PluginFile = { path: r, abs: a, kind, size: st.size };
      return kind === 'dir' ? [self, ...(await walk(a, r))] : [self];
    }));
    return parts.flat();
  };
  return walk(dir, '');
}
