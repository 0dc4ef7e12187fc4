import { afterAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { execa } from 'execa';
import { integrityOfBytes, integrityOfFile, startIntegrity } from '../../../../src/core/pack/integrity.js';
import { tempDir } from '../../../helpers/pm.js';

const tmp = await tempDir();
afterAll(() => tmp.cleanup());

describe('integrityOfFile', () => {
  it('equals sha512sum of the same file, as sha512-<base64>, across several read chunks', async () => {
    const file = join(tmp.dir, 'blob');
    const data = randomBytes(3 * 1024 * 1024 + 17);
    await writeFile(file, data);
    const hex = (await execa('sha512sum', [file])).stdout.split(' ')[0];
    const expected = `sha512-${Buffer.from(hex, 'hex').toString('base64')}`;
    expect(await integrityOfFile(file)).toBe(expected);
    expect(integrityOfBytes(data)).toBe(expected);
  });

  it('hashes a file of 16 MiB or more (the worker-thread path) to the same value as sha512sum', async () => {
    const file = join(tmp.dir, 'big');
    const data = randomBytes(17 * 1024 * 1024 + 5);
    await writeFile(file, data);
    const hex = (await execa('sha512sum', [file])).stdout.split(' ')[0];
    expect(await integrityOfFile(file)).toBe(`sha512-${Buffer.from(hex, 'hex').toString('base64')}`);
    expect(integrityOfBytes(data)).toBe(await integrityOfFile(file));
  });

  it('uses a hash started early (startIntegrity) for the same unchanged file', async () => {
    const file = join(tmp.dir, 'early');
    const data = randomBytes(16 * 1024 * 1024);
    await writeFile(file, data);
    startIntegrity(file);
    expect(await integrityOfFile(file)).toBe(integrityOfBytes(data));
  });

  it('hashes again a file changed after its early hash started (no stale integrity for a swapped package)', async () => {
    const file = join(tmp.dir, 'swapped');
    const before = randomBytes(16 * 1024 * 1024);
    await writeFile(file, before);
    startIntegrity(file);
    // Same size, other bytes, so only the change and modification times tell the files apart.
    const after = randomBytes(16 * 1024 * 1024);
    await new Promise((r) => setTimeout(r, 20));
    await writeFile(file, after);
    expect(await integrityOfFile(file)).toBe(integrityOfBytes(after));
  });

  it('ignores early-hash requests for missing files, folders and small files', async () => {
    const small = join(tmp.dir, 'small');
    await writeFile(small, 'x');
    for (const p of [join(tmp.dir, 'missing'), tmp.dir, small]) expect(() => startIntegrity(p)).not.toThrow();
    expect(await integrityOfFile(small)).toBe(integrityOfBytes(Buffer.from('x')));
  });

  it('rejects a missing file with ENOENT', async () => {
    await expect(integrityOfFile(join(tmp.dir, 'nope'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
