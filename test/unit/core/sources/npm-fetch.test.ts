import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { absoluteNpmSpec, fetchNpmPackage } from '../../../../src/core/sources/npm-fetch.js';

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

describe('fetchNpmPackage', () => {
  it('says npm cannot be run when the npm program does not exist', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pm-npm-fetch-'));
    try {
      await expect(fetchNpmPackage('anything', dir, { npm: join(dir, 'no-such-npm') })).rejects.toMatchObject({ code: 'NPM_UNAVAILABLE', message: expect.stringContaining('no-such-npm') });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
