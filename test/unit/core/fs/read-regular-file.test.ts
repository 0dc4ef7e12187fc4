import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileKind, readRegularFile, readRegularText } from '../../../../src/core/fs/read-regular-file.js';
import { tempDir } from '../../../helpers/pm.js';
import type { PmError } from '../../../../src/core/errors.js';

const tmp = await tempDir('pm-read-regular-');
afterAll(() => tmp.cleanup());

const refusal = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a refusal'); }, (e: unknown) => e as PmError);

describe('readRegularFile', () => {
  it('reads a regular file of up to maxBytes whole', async () => {
    const f = join(tmp.dir, 'ok.txt');
    await writeFile(f, 'x'.repeat(100));
    expect((await readRegularFile(f, { what: 'the file', maxBytes: 100 })).length).toBe(100);
    await writeFile(join(tmp.dir, 'empty'), '');
    expect(await readRegularText(join(tmp.dir, 'empty'), { what: 'the file', maxBytes: 10 })).toBe('');
  });

  it('reads a file larger than its first chunk in order', async () => {
    const f = join(tmp.dir, 'big.txt');
    const text = Array.from({ length: 50_000 }, (_, i) => `${i}\n`).join('');
    await writeFile(f, text);
    expect(await readRegularText(f, { what: 'the file', maxBytes: 1024 * 1024 })).toBe(text);
  });

  it('refuses a file over maxBytes before reading it (FILE_TOO_LARGE, exit 2)', async () => {
    const f = join(tmp.dir, 'over.txt');
    await writeFile(f, 'x'.repeat(101));
    const e = await refusal(readRegularFile(f, { what: 'the key file', maxBytes: 100 }));
    expect([e.code, e.exitCode, e.message]).toEqual(['FILE_TOO_LARGE', 2, `the key file ${f} is 101 bytes; the limit is 100`]);
  });

  it('refuses a FIFO at once instead of waiting for a writer (FILE_NOT_REGULAR)', async () => {
    const f = join(tmp.dir, 'pipe');
    execFileSync('mkfifo', [f]);
    const e = await refusal(readRegularFile(f, { what: 'the key file', maxBytes: 100 }));
    expect([e.code, e.exitCode, e.message]).toEqual(['FILE_NOT_REGULAR', 2, `the key file ${f} is a FIFO (named pipe), not a regular file`]);
  });

  it('refuses /dev/zero without reading from it', async () => {
    const e = await refusal(readRegularFile('/dev/zero', { what: 'the provenance file', maxBytes: 1024 }));
    expect([e.code, e.message]).toEqual(['FILE_NOT_REGULAR', 'the provenance file /dev/zero is a character device, not a regular file']);
  });

  it('refuses a folder, and throws the codes the caller chose', async () => {
    const d = join(tmp.dir, 'folder');
    await mkdir(d);
    const e = await refusal(readRegularFile(d, { what: 'the manifest', maxBytes: 10, notRegularCode: 'MANIFEST_NOT_FILE' }));
    expect([e.code, e.kind, e.message]).toEqual(['MANIFEST_NOT_FILE', 'validation', `the manifest ${d} is a folder, not a regular file`]);
    const f = join(tmp.dir, 'm.json');
    await writeFile(f, '{}'.repeat(10));
    expect((await refusal(readRegularFile(f, { what: 'the manifest', maxBytes: 10, tooLargeCode: 'MANIFEST_TOO_LARGE' }))).code).toBe('MANIFEST_TOO_LARGE');
  });

  it('leaves a missing file to the caller as Node reports it (ENOENT)', async () => {
    const e = (await refusal(readRegularFile(join(tmp.dir, 'nope'), { what: 'the file', maxBytes: 10 }))) as unknown as NodeJS.ErrnoException;
    expect(e.code).toBe('ENOENT');
  });
});

describe('fileKind', () => {
  it('names what a path is in words', async () => {
    const { stat } = await import('node:fs/promises');
    expect(fileKind(await stat('/dev/null'))).toBe('a character device');
    expect(fileKind(await stat(tmp.dir))).toBe('a folder');
  });
});
