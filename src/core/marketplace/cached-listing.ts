import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseUntrustedJson } from '../json/parse-untrusted.js';
import { marketPaths } from './paths.js';

/** Names of the registries whose cached index lists plugin `name` (no network; unreadable caches are skipped). */
export async function registriesListing(home: string, name: string): Promise<string[]> {
  const root = join(home, 'cache', 'registries');
  const registries = await readdir(root).catch(() => [] as string[]);
  const found: string[] = [];
  for (const reg of registries.sort()) {
    try {
      const index = parseUntrustedJson(await readFile(marketPaths(home, reg).cachedIndex), { what: 'index.json', maxBytes: Number.MAX_SAFE_INTEGER }) as { plugins?: Record<string, unknown> };
      if (index.plugins && Object.hasOwn(index.plugins, name)) found.push(reg);
    } catch { /* not cached or damaged: marketplace-* commands report that */ }
  }
  return found;
}
