import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findEscapingLink } from '../../../../src/core/fs/escaping-links.js';

describe('findEscapingLink', () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'pm-escaping-')));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const folder = (name: string) => {
    const d = join(root, name);
    mkdirSync(join(d, 'a', 'b'), { recursive: true });
    return d;
  };

  it('finds nothing in a folder without links, or whose links stay inside it', async () => {
    const d = folder('inside');
    symlinkSync(join(d, 'a'), join(d, 'to-a'));
    symlinkSync('..', join(d, 'a', 'b', 'up'));
    expect(await findEscapingLink(d)).toBeUndefined();
  });

  it('finds a nested link leading out, a relative one, and a dangling one', async () => {
    const out = folder('outside');
    const d1 = folder('nested');
    symlinkSync(out, join(d1, 'a', 'b', 'x'));
    expect(await findEscapingLink(d1)).toEqual({ path: 'a/b/x', target: out });
    const d2 = folder('relative');
    symlinkSync('../../../outside', join(d2, 'a', 'b', 'r'));
    expect(await findEscapingLink(d2)).toEqual({ path: 'a/b/r', target: out });
    const d3 = folder('dangling');
    symlinkSync('/nonexistent/later', join(d3, 'd'));
    expect(await findEscapingLink(d3)).toEqual({ path: 'd', target: '/nonexistent/later' });
  });

  it('judges a folder given through a link by where it really is', async () => {
    const d = folder('target');
    symlinkSync(d, join(root, 'via-link'));
    symlinkSync(join(d, 'a'), join(d, 'to-a'));
    expect(await findEscapingLink(join(root, 'via-link'))).toBeUndefined();
  });
});
