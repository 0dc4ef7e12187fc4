import { describe, expect, it } from 'vitest';
import { resolvePlan, type RegistrySource } from '../../../../src/core/marketplace/resolve-plan.js';
import type { IndexVersion, RegistryIndex } from '../../../../src/core/index-format/types.js';
import { isPmError } from '../../../../src/core/errors.js';

type Spec = Record<string, Record<string, { deps?: Record<string, string>; engines?: Record<string, string> }>>;

function index(name: string, spec: Spec): RegistryIndex {
  const plugins: RegistryIndex['plugins'] = {};
  for (const [p, versions] of Object.entries(spec)) {
    const vs: Record<string, IndexVersion> = {};
    for (const [v, s] of Object.entries(versions)) {
      vs[v] = { url: `packages/${p}/${p}-${v}.tgz`, size: 1, integrity: 'sha512-x', provenance: null, signer: null, engines: s.engines ?? {}, dependencies: s.deps ?? {}, tools: [], publishedAt: '2026-01-01T00:00:00Z', deprecated: null };
    }
    plugins[p] = { description: '', categories: [], tags: [], latest: Object.keys(versions).at(-1)!, versions: vs };
  }
  return { schemaVersion: 1, name, version: 1, generatedAt: '2026-01-01T00:00:00Z', expires: null, plugins };
}

const engines = { pm: '1.0.0', node: '20.20.0' };

function errorOf(fn: () => unknown) {
  try { fn(); } catch (e) { if (isPmError(e)) return e; throw e; }
  throw new Error('expected a PmError');
}

describe('resolvePlan', () => {
  it('resolves transitive dependencies to the highest matching versions', () => {
    const sources: RegistrySource[] = [{ registry: 'main', index: index('main', {
      notes: { '1.0.0': { deps: { storage: '^1.0.0' } }, '1.2.0': { deps: { storage: '^2.0.0' } } },
      storage: { '1.5.0': {}, '2.0.0': { deps: { codec: '~1.1.0' } }, '2.3.1': { deps: { codec: '~1.1.0' } }, '3.0.0': {} },
      codec: { '1.1.0': {}, '1.1.9': {}, '1.2.0': {} },
    }) }];
    const plan = resolvePlan([{ name: 'notes' }], { sources, engines });
    expect(plan.map((p) => `${p.name}@${p.version}`)).toEqual(['codec@1.1.9', 'notes@1.2.0', 'storage@2.3.1']);
    expect(plan.find((p) => p.name === 'storage')!.requiredBy).toEqual(['notes@1.2.0']);
  });

  it('resolves a diamond to one version that satisfies both sides', () => {
    const sources: RegistrySource[] = [{ registry: 'main', index: index('main', {
      app: { '1.0.0': { deps: { left: '^1.0.0', right: '^1.0.0' } } },
      left: { '1.0.0': { deps: { base: '>=1.2.0' } } },
      right: { '1.0.0': { deps: { base: '<1.4.0' } } },
      base: { '1.1.0': {}, '1.3.0': {}, '1.4.0': {} },
    }) }];
    const plan = resolvePlan([{ name: 'app' }], { sources, engines });
    const base = plan.find((p) => p.name === 'base')!;
    expect(base.version).toBe('1.3.0');
    expect(base.requiredBy.sort()).toEqual(['left@1.0.0', 'right@1.0.0']);
  });

  it('names both requirers when their ranges conflict', () => {
    const sources: RegistrySource[] = [{ registry: 'main', index: index('main', {
      app: { '1.0.0': { deps: { left: '^1.0.0', right: '^1.0.0' } } },
      left: { '1.0.0': { deps: { base: '^1.0.0' } } },
      right: { '1.0.0': { deps: { base: '^2.0.0' } } },
      base: { '1.0.0': {}, '2.0.0': {} },
    }) }];
    const e = errorOf(() => resolvePlan([{ name: 'app' }], { sources, engines }));
    expect(e.code).toBe('RESOLVE_CONFLICT');
    expect(e.message).toBe('no version of base satisfies every range: left@1.0.0 requires ^1.0.0 but right@1.0.0 requires ^2.0.0');
  });

  it('skips versions whose engines reject this pm or Node', () => {
    const sources: RegistrySource[] = [{ registry: 'main', index: index('main', {
      notes: { '1.0.0': { engines: { pm: '^1.0.0' } }, '1.1.0': { engines: { pm: '^1.0.0', node: '>=18' } }, '2.0.0': { engines: { pm: '^2.0.0' } }, '1.9.0': { engines: { node: '>=99' } } },
    }) }];
    expect(resolvePlan([{ name: 'notes' }], { sources, engines })[0].version).toBe('1.1.0');
    const e = errorOf(() => resolvePlan([{ name: 'notes', range: '>=2' }], { sources, engines }));
    expect(e.code).toBe('RESOLVE_ENGINES');
    expect(e.message).toContain('supports pm 1.0.0 and Node 20.20.0');
  });

  it('finds dependencies in another registry and prefers the higher version across registries', () => {
    const sources: RegistrySource[] = [
      { registry: 'first', index: index('first', { notes: { '1.0.0': { deps: { storage: '^1' } } }, storage: { '1.0.0': {} } }) },
      { registry: 'second', index: index('second', { storage: { '1.4.0': {} } }) },
    ];
    const plan = resolvePlan([{ name: 'notes' }], { sources, engines });
    expect(plan.map((p) => `${p.registry}/${p.name}@${p.version}`)).toEqual(['first/notes@1.0.0', 'second/storage@1.4.0']);
  });

  it('keeps an installed dependency that already satisfies the range', () => {
    const sources: RegistrySource[] = [{ registry: 'main', index: index('main', { notes: { '1.0.0': { deps: { storage: '^1' } } }, storage: { '1.0.0': {}, '1.5.0': {} } }) }];
    const plan = resolvePlan([{ name: 'notes' }], { sources, engines, installed: { storage: { version: '1.0.0' } } });
    expect(plan.map((p) => p.name)).toEqual(['notes']);
  });

  it('counts installed plugins\' ranges so an upgrade does not break them', () => {
    const sources: RegistrySource[] = [{ registry: 'main', index: index('main', { notes: { '1.0.0': { deps: { storage: '^2' } } }, storage: { '1.0.0': {}, '2.0.0': {} } }) }];
    const e = errorOf(() => resolvePlan([{ name: 'notes' }], { sources, engines, installed: { tasks: { version: '1.0.0', dependencies: { storage: '^1' } }, storage: { version: '1.0.0' } } }));
    expect(e.code).toBe('RESOLVE_CONFLICT');
    expect(e.message).toContain('notes@1.0.0 requires ^2');
    expect(e.message).toContain('tasks@1.0.0 (installed) requires ^1');
  });

  it('reports an unknown plugin and who needed it', () => {
    const sources: RegistrySource[] = [{ registry: 'main', index: index('main', { notes: { '1.0.0': { deps: { ghost: '^1' } } } }) }];
    const e = errorOf(() => resolvePlan([{ name: 'notes' }], { sources, engines }));
    expect(e.code).toBe('RESOLVE_NOT_FOUND');
    expect(e.message).toBe('plugin ghost is not in any configured registry (needed by notes@1.0.0)');
  });

  it('honours a registry pinned by the request', () => {
    const sources: RegistrySource[] = [
      { registry: 'a', index: index('a', { notes: { '2.0.0': {} } }) },
      { registry: 'b', index: index('b', { notes: { '1.0.0': {} } }) },
    ];
    expect(resolvePlan([{ name: 'notes', registry: 'b' }], { sources, engines })[0]).toMatchObject({ registry: 'b', version: '1.0.0' });
  });
});
