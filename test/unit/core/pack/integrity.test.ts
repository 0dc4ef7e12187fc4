import { afterAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { execa } from 'execa';
import { integrityOfBytes, integrityOfFile } from '../../../../src/core/pack/integrity.js';
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

  it('rejects a missing file with ENOENT', async () => {
    await expect(integrityOfFile(join(tmp.dir, 'nope'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
