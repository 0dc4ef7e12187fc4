import { describe, expect, it } from 'vitest';
import { absoluteNpmSpec } from '../../../../src/core/sources/npm-fetch.js';

describe('absoluteNpmSpec', () => {
  it('makes path specs absolute and leaves registry specs alone', () => {
    expect(absoluteNpmSpec('./pkg.tgz', '/work')).toBe('/work/pkg.tgz');
    expect(absoluteNpmSpec('../pkg', '/work/a')).toBe('/work/pkg');
    expect(absoluteNpmSpec('file:pkgs/x.tgz', '/work')).toBe('file:/work/pkgs/x.tgz');
    expect(absoluteNpmSpec('file:/abs/x.tgz', '/work')).toBe('file:/abs/x.tgz');
    expect(absoluteNpmSpec('@scope/pkg@^1.2', '/work')).toBe('@scope/pkg@^1.2');
    expect(absoluteNpmSpec('missing.tgz', '/nonexistent')).toBe('missing.tgz');
  });
});
