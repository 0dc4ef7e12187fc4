import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/pm.js';
import { findTestFiles } from '../../../src/testing/find-test-files.js';

describe('findTestFiles', () => {
  let cleanup: () => Promise<void> = async () => {};
  afterEach(() => cleanup());

  it('finds test/**/*.test.{js,mjs,ts} sorted, skipping helpers and node_modules', async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    for (const f of ['test/a.test.js', 'test/deep/b.test.ts', 'test/c.test.mjs', 'test/helper.js', 'test/node_modules/x/y.test.js', 'src/d.test.js', 'test/e.spec.js']) {
      await mkdir(join(t.dir, f, '..'), { recursive: true });
      await writeFile(join(t.dir, f), '');
    }
    expect((await findTestFiles(t.dir)).map((f) => f.slice(t.dir.length + 1))).toEqual(['test/a.test.js', 'test/c.test.mjs', 'test/deep/b.test.ts']);
  });

  it('is empty when there is no test folder', async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    expect(await findTestFiles(t.dir)).toEqual([]);
  });
});
