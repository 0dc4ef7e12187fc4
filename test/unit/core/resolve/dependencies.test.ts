import { describe, expect, it } from 'vitest';
import { checkDependencies, dependentsOf, unmetDependencies } from '../../../../src/core/resolve/dependencies.js';

const p = (name: string, version: string, dependencies: Record<string, string> = {}) => ({ name, version, dependencies });

describe('dependency resolution', () => {
  it('finds missing and conflicting dependencies', () => {
    const probs = unmetDependencies([p('notes', '1.0.0', { storage: '^2.0.0', search: '1.x' })], new Map([['storage', '1.0.0']]));
    expect(probs).toEqual([
      { plugin: 'notes', version: '1.0.0', dependency: 'storage', range: '^2.0.0', installed: '1.0.0' },
      { plugin: 'notes', version: '1.0.0', dependency: 'search', range: '1.x', installed: null },
    ]);
  });

  it('lets a set satisfy its own members', () => {
    expect(() => checkDependencies([p('notes', '1.0.0', { storage: '^2.0.0' }), p('storage', '2.3.0')], [])).not.toThrow();
  });

  it('lists every missing dependency and an install command for each', () => {
    expect(() => checkDependencies([p('notes', '1.0.0', { storage: '^2.0.0', search: '^1.0.0' })], [])).toThrow(expect.objectContaining({
      code: 'DEPENDENCY_MISSING',
      message: 'notes@1.0.0 needs storage ^2.0.0, which is not installed; notes@1.0.0 needs search ^1.0.0, which is not installed',
      hint: expect.stringContaining("pm marketplace-install 'storage@^2.0.0' 'search@^1.0.0'"),
    }));
  });

  it('refuses a replacement that breaks an installed dependent, and allows one that keeps it working', () => {
    const installed = [p('storage', '2.0.0'), p('notes', '1.0.0', { storage: '^2.0.0' })];
    expect(() => checkDependencies([p('storage', '3.0.0')], installed)).toThrow(expect.objectContaining({ code: 'DEPENDENT_WOULD_BREAK' }));
    expect(() => checkDependencies([p('storage', '2.5.0')], installed)).not.toThrow();
  });

  it('names the dependents of a plugin', () => {
    expect(dependentsOf('storage', [p('storage', '2.0.0'), p('notes', '1.0.0', { storage: '*' }), p('x', '1.0.0')]).map((d) => d.name)).toEqual(['notes']);
  });
});
