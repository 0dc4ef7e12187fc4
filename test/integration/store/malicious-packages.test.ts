import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, truncate, writeFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pm, tempDir } from '../../helpers/pm.js';
import { headerBlock, manifestEntry, notesPlugin, pack, rawTar, snapshot, writeRawTgz, type RawEntry } from '../../helpers/store.js';
import { validatePlugin } from '../../../src/core/validate/validate-plugin.js';
import { checkStore } from '../../../src/core/store/check.js';

// Each malicious package claims to be notes@2.0.0, an update of the installed notes@1.0.0.
const tmp = await tempDir('pm-malicious-');
const home = join(tmp.dir, 'home');
const bad = join(tmp.dir, 'bad');
afterAll(() => tmp.cleanup());

beforeAll(async () => {
  const src = await notesPlugin(join(tmp.dir, 'src'), '1.0.0');
  const tgz = await pack(src, join(tmp.dir, 'good'));
  const r = await pm(['plugin-install', tgz, '--allow-unsigned', '--home', home]);
  expect(r.exitCode, r.stderr).toBe(0);
  await mkdir(bad, { recursive: true });
  await writeFile(join(home, 'data', 'notes', 'notes.md'), 'my notes\n');
});

/** The store outside staging/, and everything else in the temp folder but the bad packages and logs. */
const outsideStaging = () => snapshot(tmp.dir, (rel) => rel.startsWith('bad') || rel === join('home', 'staging') || rel.startsWith(join('home', 'logs')));

/** Installs `tgz` through the real bin and proves the refusal changed nothing and the old version still works. */
async function expectRefused(tgz: string, code: string, message: RegExp, extra: string[] = []) {
  const before = await outsideStaging();
  const r = await pm(['plugin-install', tgz, '--allow-unsigned', '--home', home, ...extra]);
  expect(r.exitCode, r.stderr).toBe(4);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).toContain('hint:');
  const j = await pm(['plugin-install', tgz, '--allow-unsigned', '--home', home, '--json', ...extra]);
  expect(JSON.parse(j.stdout).error.code).toBe(code);
  expect(await outsideStaging()).toEqual(before);
  expect(await readdir(join(home, 'staging')).catch(() => [])).toEqual([]);

  const list = await pm(['plugin-list', '--json', '--home', home]);
  expect(JSON.parse(list.stdout).map((p: { name: string; version: string }) => `${p.name}@${p.version}`)).toEqual(['notes@1.0.0']);
  expect((await pm(['plugin-disable', 'notes', '--home', home])).exitCode).toBe(0);
  expect((await pm(['plugin-enable', 'notes', '--home', home])).exitCode).toBe(0);
  const report = await validatePlugin(join(home, 'plugins', 'notes'));
  expect(report.errors).toEqual([]);
  expect((await checkStore(home)).ok).toBe(true);
  expect(await readFile(join(home, 'data', 'notes', 'notes.md'), 'utf8')).toBe('my notes\n');
}

const notes2 = (entries: RawEntry[]) => [manifestEntry('notes', '2.0.0'), ...entries];

describe('malicious packages are refused and leave the installed version working', () => {
  it('stops path traversal: an entry with ../ is refused and nothing lands outside the package', async () => {
    const tgz = await writeRawTgz(join(bad, 'notes-2.0.0.tgz'), notes2([{ path: 'package/../../../escape.txt', body: 'pwned' }]));
    await expectRefused(tgz, 'TAR_PATH_TRAVERSAL', /entry "package\/\.\.\/\.\.\/\.\.\/escape\.txt" climbs out of the package with "\.\."/);
    expect(existsSync(join(tmp.dir, 'escape.txt'))).toBe(false);
  });

  it('stops absolute paths: an entry at /… is refused', async () => {
    const target = join(tmp.dir, 'abs-target.txt');
    const tgz = await writeRawTgz(join(bad, 'notes-2.0.0.tgz'), notes2([{ path: target, body: 'pwned' }]));
    await expectRefused(tgz, 'TAR_ABSOLUTE_PATH', /has an absolute path/);
    expect(existsSync(target)).toBe(false);
  });

  it('stops symlink entries', async () => {
    const tgz = await writeRawTgz(join(bad, 'notes-2.0.0.tgz'), notes2([{ path: 'package/passwd', type: 'SymbolicLink', linkpath: '/etc/passwd' }]));
    await expectRefused(tgz, 'TAR_LINK', /entry "package\/passwd" is a symbolic link; packages hold regular files and folders only/);
  });

  it('stops hardlink entries', async () => {
    const tgz = await writeRawTgz(join(bad, 'notes-2.0.0.tgz'), notes2([{ path: 'package/hard', type: 'Link', linkpath: '/etc/shadow' }]));
    await expectRefused(tgz, 'TAR_LINK', /entry "package\/hard" is a hard link/);
  });

  it('stops device entries', async () => {
    const tgz = await writeRawTgz(join(bad, 'notes-2.0.0.tgz'), notes2([{ path: 'package/sda', type: 'BlockDevice' }]));
    await expectRefused(tgz, 'TAR_DEVICE', /entry "package\/sda" is a device file/);
  });

  it('stops FIFO entries', async () => {
    const tgz = await writeRawTgz(join(bad, 'notes-2.0.0.tgz'), notes2([{ path: 'package/pipe', type: 'FIFO' }]));
    await expectRefused(tgz, 'TAR_FIFO', /entry "package\/pipe" is a FIFO/);
  });

  it('stops setuid files', async () => {
    const tgz = await writeRawTgz(join(bad, 'notes-2.0.0.tgz'), notes2([{ path: 'package/run', mode: 0o4755, body: '#!/bin/sh\n' }]));
    await expectRefused(tgz, 'TAR_SETUID', /entry "package\/run" has setuid, setgid or sticky bits \(mode 4755\)/);
  });

  it('stops archives with 20,000 entries', async () => {
    const many: RawEntry[] = Array.from({ length: 20_000 }, (_, i) => ({ path: `package/f/${i}.txt`, body: 'x' }));
    const tgz = await writeRawTgz(join(bad, 'notes-2.0.0.tgz'), notes2(many));
    await expectRefused(tgz, 'TAR_TOO_MANY_ENTRIES', /more than 10000 entries/);
    // ~9 s on a quiet 2-core machine (two installs of a 20,000-entry archive and six pm runs); room for a loaded one.
  }, 180_000);

  // A 1 GiB file of zeros, compressed to about 1 MB as concatenated gzip members (gunzip reads them as one stream).
  const bomb = async () => {
    const zeros = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
    const head = gzipSync(Buffer.concat([rawTar([manifestEntry('notes', '2.0.0')]).subarray(0, -1024), headerBlock({ path: 'package/zeros.bin', size: 1024 ** 3 })]), { level: 9 });
    const tail = gzipSync(Buffer.alloc(1024), { level: 9 });
    const file = join(bad, 'notes-2.0.0.tgz');
    await writeFile(file, Buffer.concat([head, ...Array.from({ length: 16 }, () => zeros), tail]));
    expect((await stat(file)).size).toBeLessThan(1.1 * 1024 * 1024);
    return file;
  };

  it('stops a 1 GiB file of zeros by its unpacked size, at its header', async () => {
    await expectRefused(await bomb(), 'TAR_TOO_LARGE', /unpacks to more than 104857600 bytes \(entry "package\/zeros.bin" alone is 1073741824\)/);
  });

  it('stops the same bomb by its decompression ratio when the size limit is raised', async () => {
    await expectRefused(await bomb(), 'TAR_RATIO', /decompresses more than 1000 times its size/, ['--max-unpacked', '2048']);
  });

  it('stops a truncated gzip', async () => {
    const src = await notesPlugin(join(tmp.dir, 'src2'), '2.0.0');
    const tgz = await pack(src, bad);
    await truncate(tgz, Math.floor((await stat(tgz)).size / 2));
    await expectRefused(tgz, 'TAR_TRUNCATED', /the gzip data ends early/);
  });

  it('stops a package whose manifest names another plugin', async () => {
    const tgz = await writeRawTgz(join(bad, 'notes-2.0.0.tgz'), [manifestEntry('evil', '2.0.0'), { path: 'package/index.js', body: 'export default {};' }]);
    await expectRefused(tgz, 'MANIFEST_MISMATCH', /package\/plugin.json has name "evil", but "notes" was asked for/);
  });

  it('stops a package whose manifest names another version', async () => {
    const tgz = await writeRawTgz(join(bad, 'notes-2.0.0.tgz'), [manifestEntry('notes', '9.9.9')]);
    await expectRefused(tgz, 'MANIFEST_MISMATCH', /has version "9.9.9", but "2.0.0" was asked for/);
  });

  it('stops entries outside package/', async () => {
    const tgz = await writeRawTgz(join(bad, 'notes-2.0.0.tgz'), notes2([{ path: 'elsewhere/x.js', body: '1' }]));
    await expectRefused(tgz, 'TAR_NOT_PACKAGE', /entry "elsewhere\/x.js" is outside package\//);
  });
});
