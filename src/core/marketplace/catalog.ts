import { isPmError, PmError } from '../errors.js';
import { loadIndex, type FetchEvent, type LoadedIndex, type LoadIndexOptions } from './load-index.js';
import { getRegistry, listRegistries } from './registries-config.js';
import type { CatalogEntry } from './search.js';
import { unreachableReason } from './unreachable.js';

export interface CatalogOptions extends Omit<LoadIndexOptions, 'onProgress' | 'onFetch'> {
  /** Only this registry (default: every configured one, in order); no other registry is read. */
  registry?: string;
  /** Every configured registry but this one. */
  exclude?: string;
  onProgress?: (registry: string, received: number, total?: number) => void;
  /** Called before each download attempt of a registry file, for a progress display. */
  onFetch?: (registry: string, event: FetchEvent) => void;
  /** Warnings for the user (an unreachable registry, an expired cache used offline), as they happen. */
  onWarning?: (message: string) => void;
}

/**
 * Loads and verifies the index of every configured registry (or one). Each registry fails
 * alone: one that cannot be reached stands in with its cached index, or is skipped with a
 * warning; only when no registry answers is that an error. Any verification failure stops all.
 */
export async function loadCatalog(home: string, opts: CatalogOptions = {}): Promise<LoadedIndex[]> {
  const regs = opts.registry ? [await getRegistry(home, opts.registry)] : (await listRegistries(home)).filter((r) => r.name !== opts.exclude);
  if (regs.length === 0) {
    throw new PmError('REGISTRY_NONE', 'no registry is configured', { hint: "add one with 'pm marketplace-add <name> <url> --key <file>'" });
  }
  const { onProgress, onFetch, onWarning, registry: _r, exclude: _e, ...rest } = opts;
  const out: LoadedIndex[] = [];
  const failed: Array<{ name: string; reason: string; err: PmError }> = [];
  for (const reg of regs) {
    try {
      const l = await loadIndex(home, reg, {
        ...rest,
        onProgress: onProgress ? (r, t) => onProgress(reg.name, r, t) : undefined,
        onFetch: onFetch ? (e) => onFetch(reg.name, e) : undefined,
      });
      for (const w of l.warnings) onWarning?.(w);
      out.push(l);
    } catch (err) {
      const reason = unreachableReason(err);
      if (!reason || regs.length === 1) throw err;
      failed.push({ name: reg.name, reason, err: err as PmError });
      const cache = (err as PmError).data?.cache === 'expired' ? 'its cached index has expired' : 'it has no cached index';
      onWarning?.(`registry ${reg.name} unreachable (${reason}) and ${cache}; going on without it`);
    }
  }
  if (out.length === 0) {
    throw new PmError('REGISTRIES_UNREACHABLE', `no registry could be reached: ${failed.map((f) => `${f.name} (${f.reason})`).join(', ')}`, {
      hint: failed.some((f) => f.err.data?.cache === 'expired')
        ? 'check your network; --offline uses the cached indexes, even expired ones, with a warning'
        : 'check your network and the registry URLs (pm marketplace-list)',
      data: { registries: failed.map((f) => ({ name: f.name, reason: f.reason, ...(isPmError(f.err) ? { code: f.err.code } : {}) })) },
    });
  }
  return out;
}

/** Every plugin of every loaded index, registry by registry. */
export function* catalogEntries(loaded: LoadedIndex[]): Generator<CatalogEntry> {
  for (const l of loaded) for (const [name, plugin] of Object.entries(l.index.plugins)) yield { name, registry: l.registry.name, plugin };
}
