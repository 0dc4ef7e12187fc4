import { join } from 'node:path';
import { listFilesRecursive } from '../core/fs/list-files.js';

/** Test files `pm plugin-test` runs: test/**\/*.test.{js,mjs,ts} (also .mts), sorted, node_modules skipped. */
export function findTestFiles(pluginDir: string): Promise<string[]> {
  return listFilesRecursive(join(pluginDir, 'test'), { accept: (name) => /\.test\.(js|mjs|ts|mts)$/.test(name) });
}
