import { describe, expect, it } from 'vitest';
import { searchCatalog, type CatalogEntry } from '../../../../src/core/marketplace/search.js';
import type { IndexPlugin } from '../../../../src/core/index-format/types.js';

function plugin(p: Partial<IndexPlugin> & { tools?: string[] }): IndexPlugin {
  return {
    description: p.description ?? '', categories: p.categories ?? [], tags: p.tags ?? [], latest: '1.0.0', downloads: p.downloads ?? 0,
    versions: { '1.0.0': { url: 'x', size: 1, integrity: 'sha512-x', provenance: null, signer: null, engines: {}, dependencies: {}, tools: p.tools ?? [], publishedAt: '2026-01-01T00:00:00Z', deprecated: null } },
  };
}

const entries: CatalogEntry[] = [
  { name: 'notes-sync', registry: 'a', plugin: plugin({ description: 'Sync notes to the cloud', tags: ['sync'], downloads: 5 }) },
  { name: 'journal', registry: 'a', plugin: plugin({ description: 'A diary that keeps notes by day', categories: ['workflow'], downloads: 900 }) },
  { name: 'notes', registry: 'b', plugin: plugin({ description: 'Keep notes', tags: ['notes'], categories: ['workflow'] }) },
  { name: 'todo', registry: 'a', plugin: plugin({ description: 'Tasks', tags: ['notes'], tools: ['add', 'list'], categories: ['productivity'] }) },
  { name: 'weather', registry: 'a', plugin: plugin({ description: 'Forecasts', tools: ['forecast'] }) },
];

describe('searchCatalog', () => {
  it('puts the exact name first, then name prefixes, tags and descriptions', () => {
    expect(searchCatalog(entries, 'notes').map((h) => h.name)).toEqual(['notes', 'notes-sync', 'todo', 'journal']);
  });

  it('matches tool names', () => {
    const hits = searchCatalog(entries, 'forecast');
    expect(hits.map((h) => h.name)).toEqual(['weather']);
    expect(hits[0].matched).toContain('tool');
  });

  it('requires every term to match somewhere', () => {
    expect(searchCatalog(entries, 'notes cloud').map((h) => h.name)).toEqual(['notes-sync']);
    expect(searchCatalog(entries, 'notes nothing-like-this')).toEqual([]);
  });

  it('filters by category and tag, case-insensitively', () => {
    expect(searchCatalog(entries, 'notes', { category: 'Workflow' }).map((h) => h.name)).toEqual(['notes', 'journal']);
    expect(searchCatalog(entries, '', { tag: 'notes' }).map((h) => h.name)).toEqual(['notes', 'todo']);
  });

  it('breaks score ties by downloads', () => {
    const two: CatalogEntry[] = [
      { name: 'a-tool', registry: 'r', plugin: plugin({ description: 'x', downloads: 1 }) },
      { name: 'b-tool', registry: 'r', plugin: plugin({ description: 'x', downloads: 10 }) },
    ];
    expect(searchCatalog(two, 'tool').map((h) => h.name)).toEqual(['b-tool', 'a-tool']);
  });

  it('lists everything for an empty query', () => {
    expect(searchCatalog(entries, '  ')).toHaveLength(entries.length);
  });
});
