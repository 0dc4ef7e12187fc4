import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listPackageFiles } from '../../../../src/core/pack/package-files.js';
import { tempDir } from '../../../helpers/pm.js';
import { authorFolder } from '../../../helpers/sign-fixtures.js';

const tmp = await tempDir();
afterAll(() => tmp.cleanup());

describe('listPackageFiles', () => {
  it('lists plugin.json first, then sorted paths, with folders only when they hold packed files', async () => {
    const dir = await authorFolder(join(tmp.dir, 'a'));
    await mkdir(join(dir, 'empty'));
    const paths = (await listPackageFiles(dir)).map((e) => (e.type === 'dir' ? `${e.path}/` : e.path));
    expect(paths).toEqual([
      'plugin.json', 'README.md', 'bin/', 'bin/run.js', 'index.js', 'lib/', 'lib/add.js',
      'node_modules/', 'node_modules/left-pad/', 'node_modules/left-pad/index.js', 'node_modules/left-pad/package.json',
      'package.json', 'prompts/', 'prompts/summarize.user.hbs',
    ]);
  });

  it('never packs .env files, keys, tests, .git or caches, even when .pmignore says !.env', async () => {
    const dir = await authorFolder(join(tmp.dir, 'b'));
    const paths = (await listPackageFiles(dir)).map((e) => e.path);
    for (const secret of ['.env', '.env.local', 'signing.key', 'id_ed25519', '.git/HEAD', 'test/add.test.js', 'node_modules/.cache/x.json', '.pmignore']) {
      expect(paths).not.toContain(secret);
    }
  });

  it('applies .pmignore in gitignore syntax', async () => {
    const dir = await authorFolder(join(tmp.dir, 'c'));
    await writeFile(join(dir, '.pmignore'), 'prompts/\n*.md\n');
    const paths = (await listPackageFiles(dir)).map((e) => e.path);
    expect(paths).not.toContain('prompts/summarize.user.hbs');
    expect(paths).not.toContain('README.md');
    // The default .pmignore of the fixture excluded *.tmp; this one does not.
    expect(paths).toContain('notes.tmp');
  });

  it('always packs plugin.json, even when .pmignore lists it or everything', async () => {
    const dir = await authorFolder(join(tmp.dir, 'star'));
    await writeFile(join(dir, '.pmignore'), '*\n');
    expect((await listPackageFiles(dir)).map((e) => e.path)).toEqual(['plugin.json']);
  });

  it('refuses a symbolic link with its path and a hint, exit kind validation', async () => {
    const dir = await authorFolder(join(tmp.dir, 'd'));
    await symlink('/etc/passwd', join(dir, 'lib', 'passwd'));
    await expect(listPackageFiles(dir)).rejects.toMatchObject({
      code: 'PACK_UNSUPPORTED_FILE',
      kind: 'validation',
      message: 'lib/passwd is a symbolic link; a package holds only regular files and folders',
      hint: 'replace it with the file it points to, or add "lib/passwd" to .pmignore',
    });
  });

  it('skips a symbolic link that .pmignore excludes', async () => {
    const dir = await authorFolder(join(tmp.dir, 'e'));
    await symlink('/etc/passwd', join(dir, 'lib', 'passwd'));
    await writeFile(join(dir, '.pmignore'), 'lib/passwd\n');
    expect((await listPackageFiles(dir)).map((e) => e.path)).not.toContain('lib/passwd');
  });
});
