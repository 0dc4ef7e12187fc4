import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listPluginFiles } from '../../../../src/core/validate/list-files.js';
import { tempDir } from '../../../helpers/pm.js';

const tmp = await tempDir();
afterAll(() => tmp.cleanup());

describe('listPluginFiles', () => {
  it('lists each folder before its contents, names sorted, even where plain string order differs (a/b before a-c), without .git', async () => {
    const dir = join(tmp.dir, 'order');
    for (const rel of ['a/b/deep.js', 'a-c', 'a/z.js', 'b.js', '.git/HEAD', 'lib/.git/config']) {
      await mkdir(join(dir, rel, '..'), { recursive: true });
      await writeFile(join(dir, rel), 'x'.repeat(rel.length));
    }
    for (let i = 0; i < 40; i++) await writeFile(join(dir, 'a', `f${String(i).padStart(2, '0')}.js`), '');
    await symlink('b.js', join(dir, 'link'));
    const files = await listPluginFiles(dir);
    expect(files.map((f) => `${f.path} ${f.kind}`)).toEqual([
      'a dir', 'a/b dir', 'a/b/deep.js file',
      ...Array.from({ length: 40 }, (_, i) => `a/f${String(i).padStart(2, '0')}.js file`),
      'a/z.js file', 'a-c file', 'b.js file', 'lib dir', 'lib/.git dir', 'lib/.git/config file', 'link link',
    ]);
    expect(files.find((f) => f.path === 'a/b/deep.js')).toEqual({ path: 'a/b/deep.js', abs: join(dir, 'a/b/deep.js'), kind: 'file', size: 11 });
  });
});
