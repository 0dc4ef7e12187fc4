import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isWithin, realPathNearest } from '../../../../src/core/fs/real-path.js';

describe('realPathNearest', () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'pm-realpath-')));
  mkdirSync(join(root, 'target', 'sub'), { recursive: true });
  symlinkSync(join(root, 'target'), join(root, 'link'));
  symlinkSync(join(root, 'nowhere', 'yet'), join(root, 'dangling'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('resolves links in an existing path', () => {
    expect(realPathNearest(join(root, 'link', 'sub'))).toBe(join(root, 'target', 'sub'));
  });

  it('resolves the nearest existing ancestor of a path that does not exist yet and appends the rest', () => {
    expect(realPathNearest(join(root, 'link', 'new', 'deeper'))).toBe(join(root, 'target', 'new', 'deeper'));
  });

  it('follows a dangling link to where it points', () => {
    expect(realPathNearest(join(root, 'dangling', 'x'))).toBe(join(root, 'nowhere', 'yet', 'x'));
  });
});

describe('isWithin', () => {
  it('accepts the folder itself and paths below it, and nothing beside it', () => {
    expect(isWithin('/a/b', '/a/b')).toBe(true);
    expect(isWithin('/a/b/c', '/a/b')).toBe(true);
    expect(isWithin('/a/bc', '/a/b')).toBe(false);
    expect(isWithin('/a', '/a/b')).toBe(false);
    expect(isWithin('/a/b/..c', '/a/b')).toBe(true);
  });
});
