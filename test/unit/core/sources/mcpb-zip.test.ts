import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { extractBundleZip } from '../../../../src/core/sources/mcpb-zip.js';
import { makeZip } from '../../../helpers/zip.js';
import { tempDir } from '../../../helpers/pm.js';

const tmp = await tempDir('pm-mcpb-zip-');
afterAll(() => tmp.cleanup());
let n = 0;
const dest = () => join(tmp.dir, `d${n++}`);
const manifest = { name: 'manifest.json', data: '{}' };

describe('extractBundleZip', () => {
  it('extracts regular files and folders, keeping the executable bit and nothing else', async () => {
    const d = dest();
    const r = await extractBundleZip(makeZip([manifest, { name: 'server/', mode: 0o040755 }, { name: 'server/run.sh', data: '#!/bin/sh\n', mode: 0o100755, deflate: true }]), 'x.mcpb', d);
    expect(r).toEqual({ entries: 3, unpackedBytes: 12 });
    expect(await readFile(join(d, 'server', 'run.sh'), 'utf8')).toBe('#!/bin/sh\n');
    expect(statSync(join(d, 'server', 'run.sh')).mode & 0o777).toBe(0o755);
    expect(statSync(join(d, 'manifest.json')).mode & 0o777).toBe(0o644);
  });

  const hostile: [string, Parameters<typeof makeZip>[0], string, string][] = [
    ['zip-slip (..)', [manifest, { name: '../../evil.sh', data: 'x' }], 'TAR_PATH_TRAVERSAL', 'entry "../../evil.sh" climbs out of the bundle with ".."'],
    ['zip-slip inside a folder', [manifest, { name: 'server/../../evil.sh', data: 'x' }], 'TAR_PATH_TRAVERSAL', 'climbs out of the bundle'],
    ['an absolute path', [manifest, { name: '/etc/cron.d/evil', data: 'x' }], 'TAR_ABSOLUTE_PATH', 'entry "/etc/cron.d/evil" has an absolute path'],
    ['a Windows drive path', [manifest, { name: 'C:\\evil.exe', data: 'x' }], 'TAR_ABSOLUTE_PATH', 'has an absolute path'],
    ['a symbolic link', [manifest, { name: 'link', data: '/etc/passwd', mode: 0o120777 }], 'TAR_LINK', 'entry "link" is a symbolic link'],
    ['a setuid file', [manifest, { name: 'suid', data: 'x', mode: 0o104755 }], 'TAR_SETUID', 'setuid'],
    ['a device file', [manifest, { name: 'dev', data: '', mode: 0o020644 }], 'TAR_UNSUPPORTED_ENTRY', 'not a regular file or folder'],
    ['a zip bomb (ratio over 1000)', [manifest, { name: 'bomb.bin', data: Buffer.alloc(20 * 1024 * 1024), deflate: true }], 'TAR_RATIO', 'decompresses more than 1000 times its size'],
    ['an entry larger than it declares', [manifest, { name: 'liar.bin', data: Buffer.alloc(4096, 1), deflate: true, declaredSize: 10 }], 'TAR_CORRUPT', 'damaged'],
    ['a duplicate entry', [manifest, { name: 'a', data: '1' }, { name: 'a', data: '2' }], 'TAR_DUPLICATE', 'entry "a" appears twice'],
  ];
  it.each(hostile)('refuses %s, leaving the destination without the entry', async (_, entries, code, message) => {
    const d = dest();
    const err = await extractBundleZip(makeZip(entries), 'x.mcpb', d).catch((e: unknown) => e);
    expect(err).toMatchObject({ code });
    expect((err as Error).message).toContain(message);
    expect(existsSync(join(tmp.dir, 'evil.sh'))).toBe(false);
  });

  it('refuses 20,000 entries from the central directory count, before writing anything', async () => {
    const d = dest();
    const entries = Array.from({ length: 20_000 }, (_, i) => ({ name: `f${i}`, data: '' }));
    await expect(extractBundleZip(makeZip(entries), 'x.mcpb', d)).rejects.toMatchObject({ code: 'TAR_TOO_MANY_ENTRIES' });
    expect(existsSync(d)).toBe(false);
  });

  it('refuses a bundle over the unpacked size limit before writing anything', async () => {
    const d = dest();
    const zip = makeZip([manifest, { name: 'big.bin', data: Buffer.alloc(2048, 7) }]);
    await expect(extractBundleZip(zip, 'x.mcpb', d, { maxEntries: 10, maxUnpackedBytes: 1024, maxRatio: 1000 })).rejects.toMatchObject({ code: 'TAR_TOO_LARGE' });
    expect(existsSync(d)).toBe(false);
  });

  it('refuses bytes that are not a ZIP', async () => {
    await expect(extractBundleZip(Buffer.from('not a zip at all, just text'), 'x.mcpb', dest())).rejects.toMatchObject({ code: 'TAR_CORRUPT' });
  });

  it('writes nothing for a hostile entry listed after good ones (all entries are checked first)', async () => {
    const d = dest();
    await expect(extractBundleZip(makeZip([manifest, { name: 'ok.txt', data: 'fine' }, { name: '../x', data: 'x' }]), 'x.mcpb', d)).rejects.toMatchObject({ code: 'TAR_PATH_TRAVERSAL' });
    expect(existsSync(d) ? readdirSync(d) : []).toEqual([]);
  });
});
