import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** Test files `pm plugin-test` runs: test/**\/*.test.{js,mjs,ts} (also .mts), sorted, node_modules skipped. */
export async function findTestFiles(pluginDir: string): Promise<string[]> {
  const root = join(pluginDir, 'test');
  let entries;
  try {
    entries = await readdir(root, { recursive: true, withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw err;
  }
  return entries
    .filter((e) => e.isFile() && /\.test\.(js|mjs|ts|mts)$/.test(e.name))
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
    .filter((p) => !relative(root, p).split(sep).includes('node_modules'))
    .sort();
}
