import type { IndexPlugin } from '../index-format/types.js';

/** A plugin as seen across registries: which registry serves it and its index entry. */
export interface CatalogEntry {
  name: string;
  registry: string;
  plugin: IndexPlugin;
}

export interface SearchFilters {
  category?: string;
  tag?: string;
}

export interface SearchHit {
  name: string;
  registry: string;
  version: string;
  description: string;
  score: number;
  /** Where the query matched: name, tag, tool, description. */
  matched: string[];
}

// Weights: an exact name beats everything; a name hit beats tags, tools, then description.
const W = { exact: 1000, prefix: 300, nameContains: 150, tag: 80, tool: 60, category: 40, description: 20 };

function scoreTerm(term: string, name: string, p: IndexPlugin, tools: string[], matched: Set<string>): number {
  let s = 0;
  if (name === term) { s += W.exact; matched.add('name'); }
  else if (name.startsWith(term)) { s += W.prefix; matched.add('name'); }
  else if (name.includes(term)) { s += W.nameContains; matched.add('name'); }
  if (p.tags.some((t) => t.toLowerCase() === term)) { s += W.tag; matched.add('tag'); }
  else if (p.tags.some((t) => t.toLowerCase().includes(term))) { s += W.tag / 2; matched.add('tag'); }
  if (tools.some((t) => t.toLowerCase() === term)) { s += W.tool; matched.add('tool'); }
  else if (tools.some((t) => t.toLowerCase().includes(term))) { s += W.tool / 2; matched.add('tool'); }
  if (p.categories.some((c) => c.toLowerCase() === term)) { s += W.category; matched.add('category'); }
  if (p.description.toLowerCase().includes(term)) { s += W.description; matched.add('description'); }
  return s;
}

/**
 * Ranks catalogue entries for a query: every term must match somewhere; exact name first,
 * then name, tags, tools, categories and description; ties by downloads then name.
 * An empty query lists everything that passes the filters.
 */
export function searchCatalog(entries: Iterable<CatalogEntry>, query: string, filters: SearchFilters = {}): SearchHit[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  const category = filters.category?.toLowerCase();
  const tag = filters.tag?.toLowerCase();
  const hits: Array<SearchHit & { downloads: number }> = [];
  for (const { name, registry, plugin: p } of entries) {
    if (category && !p.categories.some((c) => c.toLowerCase() === category)) continue;
    if (tag && !p.tags.some((t) => t.toLowerCase() === tag)) continue;
    const tools = p.versions[p.latest]?.tools ?? [];
    const matched = new Set<string>();
    let score = 0;
    let all = true;
    for (const term of terms) {
      const s = scoreTerm(term, name, p, tools, matched);
      if (s === 0) { all = false; break; }
      score += s;
    }
    if (!all) continue;
    hits.push({ name, registry, version: p.latest, description: p.description, score, matched: [...matched], downloads: p.downloads ?? 0 });
  }
  // Plain code-unit comparison: localeCompare is far slower on thousands of hits, and names are ASCII.
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  hits.sort((a, b) => b.score - a.score || b.downloads - a.downloads || cmp(a.name, b.name) || cmp(a.registry, b.registry));
  return hits.map(({ downloads: _d, ...h }) => h);
}
