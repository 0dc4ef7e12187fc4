import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { resolveRegistryUrl } from '../../../../src/core/index-format/urls.js';

const base = 'https://plugins.example.org/reg/';

describe('resolveRegistryUrl', () => {
  it('resolves relative package paths under an HTTP registry', () => {
    expect(resolveRegistryUrl('r', base, 'url', 'packages/a/a-1.0.0.tgz')).toBe('https://plugins.example.org/reg/packages/a/a-1.0.0.tgz');
    expect(resolveRegistryUrl('r', 'https://plugins.example.org/reg', 'url', 'packages/a.tgz')).toBe('https://plugins.example.org/reg/packages/a.tgz');
    expect(resolveRegistryUrl('r', base, 'url', 'https://plugins.example.org/reg/x.tgz')).toBe('https://plugins.example.org/reg/x.tgz');
  });

  it.each([
    'https://evil.example/a.tgz', '//evil.example/a.tgz', '../other/a.tgz', 'packages/../../a.tgz', '/a.tgz', 'http://plugins.example.org/reg/a.tgz', 'packages\\a.tgz', '%2e%2e/a.tgz',
  ])('refuses %s, which leaves the registry, with exit 4', (value) => {
    let err: unknown;
    try { resolveRegistryUrl('r', base, 'notes@1.0.0 url', value); } catch (e) { err = e; }
    expect(err).toMatchObject({ code: 'INDEX_FOREIGN_URL', kind: 'verification', message: `registry r: notes@1.0.0 url points outside the registry: ${value}` });
  });

  it('keeps folder registries to relative paths below the folder', () => {
    expect(resolveRegistryUrl('r', '/srv/site', 'url', 'packages/a.tgz')).toBe(join('/srv/site', 'packages/a.tgz'));
    for (const v of ['/etc/passwd', '../x.tgz', 'a/../../x.tgz', 'file:///etc/passwd', 'https://x/y.tgz']) {
      expect(() => resolveRegistryUrl('r', '/srv/site', 'url', v)).toThrow(/points outside the registry/);
    }
  });
});
