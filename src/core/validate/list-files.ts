import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PluginFile } from './types.js';

/** Folders never walked: version control metadata is not part of a plugin. */
const SKIP = new Set(['.git', '.hg', '.svn']);

/** Lists every entry under `dir` without following links, sorted by path. */
export async function listPluginFiles(dir: string): Promise<PluginFile[]> {
  const out: PluginFile[] = [];
  const walk = async (abs: string, rel: string): Promise<void> => {
    const names = (await readdir(abs)).sort();
    for (const name of names) {
      if (!rel && SKIP.has(name)) continue;
      const a = join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = await lstat(a);
      const kind = st.isSymbolicLink() ? 'link' : st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
      out.push({ path: r, abs: a, kind, size: st.size });
      if (kind === 'dir') await walk(a, r);
    }
  };
  await walk(dir, '');
  return out;
}
