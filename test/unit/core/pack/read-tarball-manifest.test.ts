import { afterAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { readTarballManifest } from '../../../../src/core/pack/read-tarball-manifest.js';
import { packPlugin } from '../../../../src/core/pack/pack-plugin.js';
import { tempDir } from '../../../helpers/pm.js';
import { authorFolder } from '../../../helpers/sign-fixtures.js';

const tmp = await tempDir();
afterAll(() => tmp.cleanup());

describe('readTarballManifest', () => {
  it('returns package/plugin.json of a pm package', async () => {
    const r = await packPlugin(await authorFolder(join(tmp.dir, 'p')), { outDir: tmp.dir });
    expect(await readTarballManifest(r.file)).toMatchObject({ name: 'notes', version: '1.2.0' });
  });

  it('finds the manifest in a tarball made by GNU tar, where it is not first', async () => {
    const src = join(tmp.dir, 'gnu', 'package');
    await authorFolder(src);
    const file = join(tmp.dir, 'gnu.tgz');
    await execa('tar', ['-czf', file, '-C', join(tmp.dir, 'gnu'), 'package/README.md', 'package/lib', 'package/plugin.json']);
    expect(await readTarballManifest(file)).toMatchObject({ name: 'notes' });
  });

  it('refuses a tarball without package/plugin.json', async () => {
    const file = join(tmp.dir, 'none.tgz');
    await execa('tar', ['-czf', file, '-C', join(tmp.dir, 'gnu'), 'package/README.md']);
    await expect(readTarballManifest(file)).rejects.toMatchObject({ code: 'PACKAGE_NO_MANIFEST', kind: 'verification' });
  });

  it('refuses a file that is not a tarball', async () => {
    const file = join(tmp.dir, 'junk.tgz');
    await writeFile(file, 'this is not gzip data at all, just text that goes on for a while '.repeat(20));
    await expect(readTarballManifest(file)).rejects.toMatchObject({ kind: 'verification' });
  });
});
