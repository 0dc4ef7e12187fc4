import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileInTheWay, fromSystemError } from '../../../../src/core/fs/system-error.js';
import { PmError } from '../../../../src/core/errors.js';
import { tempDir } from '../../../helpers/pm.js';

const tmp = await tempDir('pm-syserr-');
afterAll(() => tmp.cleanup());

const caught = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e);

describe('fromSystemError', () => {
  it('names the file that stands where a folder is needed (ENOTDIR), exit 1', async () => {
    const file = join(tmp.dir, 'plugins');
    await writeFile(file, 'x');
    const err = fromSystemError(await caught(mkdir(join(file, 'notes', 'data'), { recursive: true })))!;
    expect(err).toMatchObject({ code: 'FS_NOT_A_FOLDER', exitCode: 1, message: `${file} is a file where pm needs a folder (for ${join(file, 'notes', 'data')})` });
    expect(err.hint).toBe(`move ${file} aside, then run the command again`);
    expect(fileInTheWay(join(file, 'a', 'b'))).toBe(file);
  });

  it('says a folder stands where a file is needed (EISDIR)', async () => {
    const dir = join(tmp.dir, 'state.json');
    await mkdir(dir);
    expect(fromSystemError(await caught(writeFile(dir, 'x')))).toMatchObject({ code: 'FS_IS_A_FOLDER', message: `${dir} is a folder where pm needs a file` });
  });

  it('says a file is in the way of a folder pm creates (EEXIST from mkdir)', async () => {
    const file = join(tmp.dir, 'secret');
    await writeFile(file, 'x');
    expect(fromSystemError(await caught(mkdir(file)))).toMatchObject({ code: 'FS_NOT_A_FOLDER', message: `${file} is a file where pm needs a folder` });
  });

  it('names PM_HOME when a failed write carries no path (ENOSPC on an open file)', () => {
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    expect(fromSystemError(enospc, '/h/pm')).toMatchObject({ code: 'FS_NO_SPACE', message: 'cannot write PM_HOME /h/pm: no space left on the device', data: { home: '/h/pm', errno: 'ENOSPC' } });
  });

  it('leaves PmErrors, plain errors and path-less ENOENT alone', () => {
    expect(fromSystemError(new PmError('STORE_LOCKED', 'x'))).toBeUndefined();
    expect(fromSystemError(new Error('boom'))).toBeUndefined();
    expect(fromSystemError(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBeUndefined();
  });
});
