import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { execa } from 'execa';
import { packPlugin as packInCore, type PackOptions } from '../../../../src/core/pack/pack-plugin.js';
import { inspectEntry } from '../../../../src/host/inspect-entry.js';
import { integrityOfFile } from '../../../../src/core/pack/integrity.js';
import { tempDir } from '../../../helpers/pm.js';
import { AUTHOR_FOLDER_ENTRIES, authorFolder, writePlugin } from '../../../helpers/sign-fixtures.js';

/** Packing as pm plugin-package wires it: with the host's sandbox inspector. */
const packPlugin = (dir: string, opts: PackOptions = {}) => packInCore(dir, { inspectEntry, ...opts });

const tmp = await tempDir();
afterAll(() => tmp.cleanup());

describe('packPlugin', () => {
  it('gives byte-identical tarballs from two paths and after touching every file', async () => {
    const a = await authorFolder(join(tmp.dir, 'one', 'notes'));
    const b = await authorFolder(join(tmp.dir, 'two', 'deeper', 'notes'));
    const later = new Date('2031-01-02T03:04:05Z');
    for (const rel of ['plugin.json', 'index.js', 'lib/add.js', 'lib', 'bin/run.js']) await utimes(join(b, rel), later, later);
    const ra = await packPlugin(a, { outDir: join(tmp.dir, 'out-a') });
    const rb = await packPlugin(b, { outDir: join(tmp.dir, 'out-b') });
    const bytesA = await readFile(ra.file);
    expect(bytesA.equals(await readFile(rb.file))).toBe(true);
    expect(ra.integrity).toBe(rb.integrity);
    // Packing again into the same place rewrites the same bytes.
    const again = await packPlugin(a, { outDir: join(tmp.dir, 'out-a') });
    expect(again.integrity).toBe(ra.integrity);
  });

  it('gives the same bytes when the output folder is inside the plugin folder (--out dist)', async () => {
    const dir = await authorFolder(join(tmp.dir, 'out-inside'));
    const first = await packPlugin(dir, { outDir: join(dir, 'dist') });
    const bytes = await readFile(first.file);
    await writeFile(`${first.file}.prov`, 'a signature');
    const second = await packPlugin(dir, { outDir: join(dir, 'dist') });
    expect((await readFile(second.file)).equals(bytes)).toBe(true);
  });

  it('reports name, version, file count, sizes and the integrity of the written file', async () => {
    const dir = await authorFolder(join(tmp.dir, 'report'));
    const r = await packPlugin(dir, { outDir: join(tmp.dir, 'out-report') });
    expect(r.file).toBe(join(tmp.dir, 'out-report', 'notes-1.2.0.tgz'));
    expect([r.name, r.version, r.files]).toEqual(['notes', '1.2.0', 9]);
    expect(r.size).toBe((await readFile(r.file)).length);
    expect(r.integrity).toBe(await integrityOfFile(r.file));
    const sizes = await Promise.all(['plugin.json', 'README.md', 'bin/run.js', 'index.js', 'lib/add.js', 'node_modules/left-pad/index.js', 'node_modules/left-pad/package.json', 'package.json', 'prompts/summarize.user.hbs'].map(async (f) => (await readFile(join(dir, f))).length));
    expect(r.unpackedSize).toBe(sizes.reduce((x, y) => x + y, 0));
  });

  it('GNU tar lists every entry under package/ with owner 0/0, one mtime and modes 0644/0755', async () => {
    const dir = await authorFolder(join(tmp.dir, 'listing'));
    const r = await packPlugin(dir, { outDir: join(tmp.dir, 'out-listing') });
    const lines = (await execa('tar', ['--numeric-owner', '-tzvf', r.file], { env: { TZ: 'UTC' } })).stdout.trim().split('\n');
    const rows = lines.map((l) => {
      const [mode, owner, , date, time, path] = l.trim().split(/\s+/);
      return { mode, owner, when: `${date} ${time}`, path };
    });
    expect(rows.map((r) => r.path)).toEqual(AUTHOR_FOLDER_ENTRIES);
    for (const row of rows) {
      expect(row.owner).toBe('0/0');
      expect(row.when).toBe('1985-10-26 08:15');
      const expected = row.path.endsWith('/') ? 'drwxr-xr-x' : row.path === 'package/bin/run.js' ? '-rwxr-xr-x' : '-rw-r--r--';
      expect(`${row.path} ${row.mode}`).toBe(`${row.path} ${expected}`);
    }
  });

  it('packs hard links as regular files and drops setuid bits', async () => {
    const { chmod, link } = await import('node:fs/promises');
    const dir = await authorFolder(join(tmp.dir, 'links'));
    await link(join(dir, 'lib', 'add.js'), join(dir, 'lib', 'add-again.js'));
    await chmod(join(dir, 'bin', 'run.js'), 0o4755);
    const r = await packPlugin(dir, { outDir: join(tmp.dir, 'out-links') });
    const listing = (await execa('tar', ['--numeric-owner', '-tzvf', r.file])).stdout;
    expect(listing).toMatch(/^-rw-r--r-- 0\/0 +\d+ .* package\/lib\/add-again\.js$/m);
    expect(listing).toMatch(/^-rw-r--r-- 0\/0 +\d+ .* package\/lib\/add\.js$/m);
    expect(listing).toMatch(/^-rwxr-xr-x 0\/0 .* package\/bin\/run\.js$/m);
  });

  it('writes a gzip header with no file name, mtime 0 and a fixed OS byte, and tar headers without user names', async () => {
    const dir = await authorFolder(join(tmp.dir, 'header'));
    const r = await packPlugin(dir, { outDir: join(tmp.dir, 'out-header') });
    const gz = await readFile(r.file);
    // magic, deflate, no flags (so no file name), mtime 0, XFL 0 (default level), OS 255 (node-tar portable).
    expect([...gz.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
    const tar = gunzipSync(gz);
    // ustar uname (offset 265) and gname (297) of the first header are empty.
    expect(tar.subarray(265, 265 + 64).every((b) => b === 0)).toBe(true);
  });

  it('refuses an invalid plugin with a validation error carrying the report, and writes no tarball', async () => {
    const dir = await writePlugin(join(tmp.dir, 'bad'), { name: 'Not Valid', version: '1.0.0' });
    const out = join(tmp.dir, 'out-bad');
    const err = await packPlugin(dir, { outDir: out }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PLUGIN_INVALID', kind: 'validation', data: { report: { ok: false } } });
    expect(await readdir(out).catch(() => [])).toEqual([]);
  });

  it('packs a folder holding a .env, keys and tests (never packed) without validation errors about them', async () => {
    const dir = await authorFolder(join(tmp.dir, 'secrets-stay-home'));
    const r = await packPlugin(dir, { outDir: join(tmp.dir, 'out-secrets') });
    expect(r.warnings.map((w) => w.where ?? '')).not.toContainEqual(expect.stringMatching(/^(\.env|test\/|signing\.key)/));
  });

  it('refuses a plugin whose entry or prompt template .pmignore leaves out', async () => {
    const dir = await authorFolder(join(tmp.dir, 'ignored-entry'));
    const manifest = JSON.parse(await readFile(join(dir, 'plugin.json'), 'utf8'));
    manifest.contributes.prompts = [{ name: 'sum', description: 'Summarize', arguments: [{ name: 'topic', required: true }], messages: [{ role: 'user', template: 'prompts/summarize.user.hbs' }] }];
    await writeFile(join(dir, 'plugin.json'), JSON.stringify(manifest));
    await writeFile(join(dir, '.pmignore'), 'index.js\nprompts/\n');
    const err = await packPlugin(dir, { outDir: join(tmp.dir, 'out-ignored') }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PLUGIN_INVALID', kind: 'validation' });
    const errors = (err as { data: { report: { errors: { code: string; message: string }[] } } }).data.report.errors;
    expect(errors.filter((e) => e.code === 'PACK_FILE_EXCLUDED').map((e) => e.message)).toEqual([
      'index.js is needed by plugin.json but is not packed',
      'prompts/summarize.user.hbs is needed by plugin.json but is not packed',
    ]);
  });

  it('refuses a path that is not a folder with a usage error', async () => {
    const file = join(tmp.dir, 'placeholder');
    await writeFile(file, '');
    await expect(packPlugin(file)).rejects.toMatchObject({ code: 'PLUGIN_NOT_FOUND', kind: 'usage' });
  });

  it('refuses a folder without plugin.json with a validation error', async () => {
    const { mkdir } = await import('node:fs/promises');
    const dir = join(tmp.dir, 'no-manifest');
    await mkdir(dir);
    await expect(packPlugin(dir, { outDir: dir })).rejects.toMatchObject({ kind: 'validation' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses a symbolic link that would be packed, with the validation report, and writes nothing', async () => {
    const dir = await authorFolder(join(tmp.dir, 'halfway'));
    const out = join(tmp.dir, 'out-halfway');
    const { symlink } = await import('node:fs/promises');
    await symlink('/etc/hostname', join(dir, 'lib', 'link'));
    const err = await packPlugin(dir, { outDir: out }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PLUGIN_INVALID', kind: 'validation' });
    const report = (err as { data: { report: { errors: { code: string; where: string }[] } } }).data.report;
    expect(report.errors).toContainEqual(expect.objectContaining({ code: 'FOLDER_LINK', where: 'lib/link' }));
    expect(await readdir(out).catch(() => [])).toEqual([]);
  });
  it('leaves no temporary file and no output folder it created when it refuses a plugin (compression runs during validation)', async () => {
    const dir = await authorFolder(join(tmp.dir, 'refused-late'));
    const manifest = JSON.parse(await readFile(join(dir, 'plugin.json'), 'utf8'));
    await writeFile(join(dir, 'plugin.json'), JSON.stringify({ ...manifest, version: 'not-a-version' }));
    // Enough to compress that the refusal usually arrives mid-write (either way nothing may remain).
    await mkdir(join(dir, 'data'));
    for (let i = 0; i < 200; i++) await writeFile(join(dir, 'data', `d${i}.txt`), `${i} `.repeat(10_000));
    const parent = join(tmp.dir, 'refused-late-out');
    const out = join(parent, 'a', 'b');
    const err = await packPlugin(dir, { outDir: out }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PLUGIN_INVALID', kind: 'validation' });
    expect(await readdir(parent).catch((e: NodeJS.ErrnoException) => e.code)).toBe('ENOENT');
    // An output folder that already existed stays, empty.
    const existing = join(tmp.dir, 'refused-late-existing');
    await mkdir(existing);
    await expect(packPlugin(dir, { outDir: existing })).rejects.toMatchObject({ code: 'PLUGIN_INVALID' });
    expect(await readdir(existing)).toEqual([]);
  });

  it('does not pack a temporary package a killed run left in the plugin folder when packing into the folder itself', async () => {
    const dir = await authorFolder(join(tmp.dir, 'leftover'));
    await writeFile(join(dir, '.pm-package.4242.deadbeef.tgz.tmp'), 'half a package');
    const r = await packPlugin(dir, { outDir: dir });
    const listing = (await execa('tar', ['-tzf', r.file])).stdout.split('\n');
    expect(listing).toEqual(AUTHOR_FOLDER_ENTRIES);
    expect((await readdir(dir)).filter((f) => f.startsWith('.pm-package.'))).toEqual(['.pm-package.4242.deadbeef.tgz.tmp']);
  });

  it('packs a plugin whose entry validation loads in the sandbox, and refuses one whose declared tool is missing, writing nothing', async () => {
    const dir = await writePlugin(join(tmp.dir, 'with-tool'), {
      name: 'with-tool', version: '1.0.0', description: 'x', main: 'index.js',
      contributes: { tools: [{ name: 'add', description: 'Adds', inputSchema: { type: 'object' } }] },
    });
    await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
    await writeFile(join(dir, 'index.js'), 'export default { tools: { add: async () => ({ text: "2" }) } };\n');
    const out = join(tmp.dir, 'out-with-tool');
    const r = await packPlugin(dir, { outDir: out });
    expect(await readdir(out)).toEqual(['with-tool-1.0.0.tgz']);
    expect(r.integrity).toBe(await integrityOfFile(r.file));
    await writeFile(join(dir, 'index.js'), 'export default { tools: {} };\n');
    const out2 = join(tmp.dir, 'out-with-tool-2');
    const err = await packPlugin(dir, { outDir: out2 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PLUGIN_INVALID', data: { report: { errors: [expect.objectContaining({ code: 'TOOL_NOT_IMPLEMENTED' })] } } });
    expect(await readdir(out2).catch((e: NodeJS.ErrnoException) => e.code)).toBe('ENOENT');
  });
});
