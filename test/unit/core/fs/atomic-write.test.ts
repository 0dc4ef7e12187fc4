import { afterAll, describe, expect, it } from 'vitest';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../../../../src/core/fs/atomic-write.js';
import { tempDir } from '../../../helpers/pm.js';

const tmp = await tempDir();
afterAll(() => tmp.cleanup());

describe('writeJsonAtomic', () => {
  it('replaces the file whole and leaves no temp file behind', async () => {
    const p = join(tmp.dir, 'a', 'state.json');
    await writeJsonAtomic(p, { v: 1 });
    await writeJsonAtomic(p, { v: 2 });
    expect(JSON.parse(await readFile(p, 'utf8'))).toEqual({ v: 2 });
    expect(await readdir(join(tmp.dir, 'a'))).toEqual(['state.json']);
  });

  it('creates the file with the requested mode', async () => {
    const p = join(tmp.dir, 'secret');
    await writeFileAtomic(p, 'k', { mode: 0o600 });
    expect((await stat(p)).mode & 0o777).toBe(0o600);
  });
});
