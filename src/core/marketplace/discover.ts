import { PmError } from '../errors.js';
import { didYouMean } from '../manifest/did-you-mean.js';
import type { IndexVersion } from '../index-format/types.js';
import { catalogEntries, loadCatalog, type CatalogOptions } from './catalog.js';
import { searchCatalog, type SearchFilters, type SearchHit } from './search.js';

export interface SearchResult {
  query: string;
  results: SearchHit[];
  /** Per registry: index version and where it came from (downloaded, unchanged, cache). */
  registries: Array<{ name: string; version: number; from: string; ageMs: number }>;
  warnings: string[];
}

/** Searches every configured registry's verified index (see searchCatalog for the ranking). */
export async function searchMarketplace(home: string, query: string, opts: CatalogOptions & SearchFilters = {}): Promise<SearchResult> {
  const warnings: string[] = [];
  const loaded = await loadCatalog(home, { ...opts, onWarning: (w) => { warnings.push(w); opts.onWarning?.(w); } });
  return {
    query,
    results: searchCatalog(catalogEntries(loaded), query, { category: opts.category, tag: opts.tag }),
    registries: loaded.map((l) => ({ name: l.registry.name, version: l.index.version, from: l.from, ageMs: l.ageMs })),
    warnings,
  };
}

export interface PluginInfo {
  name: string;
  registry: string;
  description: string;
  author: string | null;
  license: string | null;
  homepage: string | null;
  categories: string[];
  tags: string[];
  latest: string;
  rating: number | null;
  downloads: number | null;
  /** The latest version's details. */
  signer: string | null;
  dependencies: Record<string, string>;
  engines: Record<string, string>;
  tools: string[];
  permissions: Record<string, unknown>;
  versions: Array<{ version: string; publishedAt: string; size: number; signer: string | null; deprecated: string | null; engines: Record<string, string> }>;
  /** Other registries that also list this name. */
  alsoIn: string[];
}

/** The listed name a typo most likely meant: a close spelling (edit distance), else the one name that starts with it. */
export function closestName(word: string, names: string[]): string | undefined {
  const close = didYouMean(word, names);
  if (close) return close;
  const starting = [...new Set(names.filter((n) => n.startsWith(word)))];
  return word.length >= 2 && starting.length === 1 ? starting[0] : undefined;
}

/** Everything the registries say about one plugin (the first registry that has it wins). */
export async function marketplaceInfo(home: string, name: string, opts: CatalogOptions = {}): Promise<PluginInfo> {
  const loaded = await loadCatalog(home, opts);
  const having = loaded.filter((l) => l.index.plugins[name]);
  if (having.length === 0) {
    const near = closestName(name, loaded.flatMap((l) => Object.keys(l.index.plugins)));
    throw new PmError('PLUGIN_NOT_IN_REGISTRY', `plugin ${name} is not in ${opts.registry ? `registry ${opts.registry}` : 'any configured registry'}`, {
      hint: near ? `did you mean ${near}? pm marketplace-info ${near}` : `search for it with 'pm marketplace-search ${name}'`,
      data: { name, ...(near ? { suggestion: near } : {}) },
    });
  }
  const l = having[0];
  const p = l.index.plugins[name];
  const latest: IndexVersion = p.versions[p.latest];
  return {
    name, registry: l.registry.name, description: p.description, author: p.author ?? null, license: p.license ?? null,
    homepage: p.homepage ?? null, categories: p.categories, tags: p.tags, latest: p.latest,
    rating: p.rating ?? null, downloads: p.downloads ?? null,
    signer: latest.signer, dependencies: latest.dependencies, engines: latest.engines, tools: latest.tools, permissions: latest.permissions ?? {},
    versions: Object.entries(p.versions).map(([version, v]) => ({ version, publishedAt: v.publishedAt, size: v.size, signer: v.signer, deprecated: v.deprecated, engines: v.engines }))
      .reverse(),
    alsoIn: having.slice(1).map((h) => h.registry.name),
  };
}
