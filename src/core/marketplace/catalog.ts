import { PmError } from '../errors.js';
import { loadIndex, type LoadedIndex, type LoadIndexOptions } from './load-index.js';
import { getRegistry, listRegistries } from './registries-config.js';
import type { CatalogEntry } from './search.js';

export interface CatalogOptions extends Omit<LoadIndexOptions, 'onProgress'> {
  /** Only this registry (default: every configured one, in order). */
  registry?: string;
  onProgress?: (registry: string, received: number, total?: number) => void;
}

/** Loads and verifies the index of every configured registry (or one); fails on the first that does not verify. */
export async function loadCatalog(home: string, opts: CatalogOptions = {}): Promise<LoadedIndex[]> {
  const regs = opts.registry ? [await getRegistry(home, opts.registry)] : await listRegistries(home);
  if (regs.length === 0) {
    throw new PmError('REGISTRY_NONE', 'no registry is configured', { hint: "add one with 'pm marketplace-add <name> <url> --key <file>'" });
  }
  const out: LoadedIndex[] = [];
  for (const reg of regs) {
    const { onProgress, ...rest } = opts;
    out.push(await loadIndex(home, reg, { ...rest, onProgress: onProgress ? (r, t) => onProgress(reg.name, r, t) : undefined }));
  }
  return out;
}

/** Every plugin of every loaded index, registry by registry. */
export function* catalogEntries(loaded: LoadedIndex[]): Generator<CatalogEntry> {
  for (const l of loaded) for (const [name, plugin] of Object.entries(l.index.plugins)) yield { name, registry: l.registry.name, plugin };
}
