import { afterAll, describe, expect, it } from 'vitest';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '../../../helpers/pm.js';
import { manifestEntry, notesPlugin, pack, writeRawTgz } from '../../../helpers/store.js';
import { extractPackage, scanPackage } from '../../../../src/core/store/extract.js';
import { integrityOfFile } from '../../../../src/core/pack/integrity.js';

const tmp = await tempDir('pm-extract-');
afterAll(() => tmp.cleanup());

describe('package extraction', () => {
  it('scans a real package without writing: integrity, sizes and manifest', async () => {
    const tgz = await pack(await notesPlugin(join(tmp.dir, 'src')), join(tmp.dir, 'pkgs'));
    const scan = await scanPackage(tgz);
    expect(scan.integrity).toBe(await integrityOfFile(tgz));
    expect(scan.manifest).toMatchObject({ name: 'notes', version: '1.0.0' });
    expect(scan.packedBytes).toBe((await stat(tgz)).size);
  });

  it('extracts files with package/ stripped and normalized modes', async () => {
    const tgz = await writeRawTgz(join(tmp.dir, 'modes.tgz'), [
      manifestEntry('m', '1.0.0'), { path: 'package/bin/', type: 'Directory' },
      { path: 'package/bin/run.js', mode: 0o777, body: '#!/usr/bin/env node\n' }, { path: 'package/a.txt', mode: 0o666, body: 'a' },
    ]);
    const dest = join(tmp.dir, 'out-modes');
    await extractPackage(tgz, dest);
    expect((await readdir(dest)).sort()).toEqual(['a.txt', 'bin', 'plugin.json']);
    expect((await stat(join(dest, 'bin/run.js'))).mode & 0o777).toBe(0o755);
    expect((await stat(join(dest, 'a.txt'))).mode & 0o777).toBe(0o644);
    expect(JSON.parse(await readFile(join(dest, 'plugin.json'), 'utf8')).name).toBe('m');
  });

  it('refuses an entry that appears twice instead of overwriting the first', async () => {
    const tgz = await writeRawTgz(join(tmp.dir, 'dup.tgz'), [manifestEntry('m', '1.0.0'), { path: 'package/a', body: '1' }, { path: 'package/a', body: '2' }]);
    await expect(extractPackage(tgz, join(tmp.dir, 'out-dup'))).rejects.toMatchObject({ code: 'TAR_DUPLICATE' });
  });

  it('refuses a package without package/plugin.json', async () => {
    const tgz = await writeRawTgz(join(tmp.dir, 'nomanifest.tgz'), [{ path: 'package/index.js', body: 'x' }]);
    await expect(scanPackage(tgz)).rejects.toMatchObject({ code: 'TAR_NO_MANIFEST', message: expect.stringContaining('package/plugin.json is missing') });
  });

  it('refuses a manifest that is not JSON', async () => {
    const tgz = await writeRawTgz(join(tmp.dir, 'badjson.tgz'), [{ path: 'package/plugin.json', body: '{ nope' }]);
    await expect(scanPackage(tgz)).rejects.toMatchObject({ code: 'TAR_BAD_MANIFEST' });
  });

  it('refuses a file that is not gzip', async () => {
    const file = join(tmp.dir, 'plain.tgz');
    await writeFile(file, 'this is not a tarball at all');
    await expect(scanPackage(file)).rejects.toMatchObject({ code: 'TAR_NOT_GZIP', exitCode: 4 });
  });

  it('honours a lower entry limit', async () => {
    const tgz = await writeRawTgz(join(tmp.dir, 'five.tgz'), [manifestEntry('m', '1.0.0'), ...[1, 2, 3, 4].map((i) => ({ path: `package/${i}`, body: 'x' }))]);
    await expect(scanPackage(tgz, { maxEntries: 3, maxUnpackedBytes: 1e9, maxRatio: 1000 })).rejects.toMatchObject({ code: 'TAR_TOO_MANY_ENTRIES' });
  });
});
