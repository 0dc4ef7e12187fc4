import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { execa } from 'execa';
import { join } from 'node:path';
import { pm, tempDir } from '../helpers/pm.js';
import { authorFolder, writePlugin } from '../helpers/sign-fixtures.js';

const tmp = await tempDir();
afterAll(() => tmp.cleanup());

describe('pm plugin-package', () => {
  it('writes <name>-<version>.tgz into the current folder and prints name, version, files, sizes and integrity', async () => {
    const dir = await authorFolder(join(tmp.dir, 'notes'));
    const r = await pm(['plugin-package', dir], { cwd: tmp.dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain(`packaged notes@1.2.0 → ${join(tmp.dir, 'notes-1.2.0.tgz')}`);
    expect(r.stdout).toContain('files: 9');
    expect(r.stdout).toMatch(/size: \d+(\.\d)? (B|KiB) \(unpacked \d+(\.\d)? (B|KiB)\)/);
    expect(r.stdout).toMatch(/integrity: sha512-[A-Za-z0-9+/]{86}==/);
  });

  it('prints the result as JSON under --json, and packing again from the plugin folder gives the same bytes', async () => {
    const dir = await authorFolder(join(tmp.dir, 'json'));
    const first = await pm(['plugin-package', '--json', '--out', dir], { cwd: dir });
    expect(first.exitCode, first.stderr).toBe(0);
    const a = JSON.parse(first.stdout);
    expect(Object.keys(a).sort()).toEqual(['file', 'files', 'integrity', 'name', 'size', 'unpackedSize', 'version', 'warnings']);
    const bytes = await readFile(a.file);
    // The first .tgz now sits in the plugin folder; it is never packed into the second.
    const second = JSON.parse((await pm(['plugin-package', '--json', '--out', dir], { cwd: dir })).stdout);
    expect(second.integrity).toBe(a.integrity);
    expect((await readFile(second.file)).equals(bytes)).toBe(true);
  });

  it('refuses an invalid plugin with exit 3, prints the validation report, and writes nothing', async () => {
    const dir = await writePlugin(join(tmp.dir, 'bad'), { name: 'Bad Name', version: 'one' });
    const out = join(tmp.dir, 'bad-out');
    const r = await pm(['plugin-package', dir, '--out', out]);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/^error {3}name: /m);
    expect(r.stderr).toContain('is not a valid plugin');
    expect(r.stderr).toContain('hint: fix the errors listed above');
    expect(await readdir(out).catch(() => [])).toEqual([]);
  });

  it('builds a TypeScript plugin from its sources first, so an edit since the last build is what ships', async () => {
    const created = await pm(['plugin-create', 'typed', '--type', 'tool', '--lang', 'ts', '--yes', '--no-ci', '--dir', tmp.dir]);
    expect(created.exitCode, created.stderr).toBe(0);
    const dir = join(tmp.dir, 'typed');
    const src = join(dir, 'src', 'index.ts');
    await writeFile(src, (await readFile(src, 'utf8')).replace(/Hello/g, 'Howdy'));
    const out = join(tmp.dir, 'typed-out');
    const r = await pm(['plugin-package', dir, '--out', out, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const x = join(tmp.dir, 'typed-x');
    await mkdir(x);
    await execa('tar', ['-xzf', JSON.parse(r.stdout).file, '-C', x]);
    const shipped = await readFile(join(x, 'package', 'dist', 'index.js'), 'utf8');
    expect(shipped).toContain('Howdy');
    expect(shipped).not.toContain('Hello');
  });

  it('refuses a missing folder with exit 2', async () => {
    const r = await pm(['plugin-package', join(tmp.dir, 'nope')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('is not a folder');
  });
});
