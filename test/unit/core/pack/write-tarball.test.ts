import { afterAll, describe, expect, it } from 'vitest';
import { appendFile, chmod, mkdir, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { execa } from 'execa';
import { create } from 'tar';
import type { Stats } from 'node:fs';
import { listPackageFiles, type PackEntry } from '../../../../src/core/pack/package-files.js';
import { FIXED_MTIME, normalizedMode, writeTarball } from '../../../../src/core/pack/write-tarball.js';
import { integrityOfFile } from '../../../../src/core/pack/integrity.js';
import { tempDir } from '../../../helpers/pm.js';

const tmp = await tempDir();
afterAll(() => tmp.cleanup());

/**
 * The tarball node-tar's own `create` writes for the same entries with the options pm used
 * before it wrote tar headers itself: the reference our bytes must equal.
 */
async function nodeTarReference(dir: string, entries: PackEntry[], out: string): Promise<Buffer> {
  const statCache = new Map<string, Stats>();
  for (const e of entries) {
    const s = Object.assign(Object.create(Object.getPrototypeOf(e.stat)), e.stat) as Stats;
    s.mode = normalizedMode(e);
    s.nlink = 1;
    s.uid = 0;
    s.gid = 0;
    s.mtime = FIXED_MTIME;
    if (e.type === 'dir') s.size = 0;
    statCache.set(join(dir, e.path), s);
  }
  await create({
    cwd: dir, prefix: 'package/', gzip: {}, portable: true, mtime: FIXED_MTIME, noDirRecurse: true, strict: true, statCache, file: out,
    onWriteEntry(entry) {
      entry.noMtime = false;
      entry.mtime = FIXED_MTIME;
    },
  }, entries.map((e) => e.path));
  return readFile(out);
}

/** Deterministic filler that compresses about as well as code. */
function text(bytes: number, seed: string): string {
  let out = '';
  for (let i = 0; out.length < bytes; i++) out += createHash('sha256').update(`${seed}${i}`).digest('base64');
  return out.slice(0, bytes);
}

describe('writeTarball', () => {
  it('writes the same bytes as node-tar portable create: long paths (PAX), unicode names, block-sized and empty files, executables, several MiB', async () => {
    const dir = join(tmp.dir, 'same-as-node-tar');
    const deep = `${'very-long-folder-name-'.repeat(4)}/${'another-long-folder-name-'.repeat(4)}`;
    const files: Record<string, string> = {
      'plugin.json': '{"name":"same","version":"1.0.0","main":"index.js"}',
      'index.js': 'export default {};\n',
      [`${deep}/${'a-file-name-longer-than-one-hundred-bytes-'.repeat(3)}.js`]: 'long\n',
      [`${'x'.repeat(120)}.js`]: 'a name that fits neither name nor prefix\n',
      'lib/ünïcødé-名前.js': 'unicode\n',
      'lib/exact-block.txt': 'b'.repeat(512),
      'lib/empty.txt': '',
      'bin/run.js': '#!/usr/bin/env node\n',
      // Larger than the 1 MiB batches and the 8 MiB queue handed to gzip.
      'data/big.txt': text(9 * 1024 * 1024 + 7, 'big'),
    };
    for (let i = 0; i < 300; i++) files[`node_modules/dep/m${i % 7}/f${i}.js`] = text(100 + i * 37, `f${i}`);
    for (const [rel, content] of Object.entries(files)) {
      await mkdir(join(dir, rel, '..'), { recursive: true });
      await writeFile(join(dir, rel), content);
    }
    await chmod(join(dir, 'bin/run.js'), 0o755);
    const entries = await listPackageFiles(dir);
    const ours = join(tmp.dir, 'ours.tgz');
    const written = await writeTarball(dir, entries, ours);
    const reference = await nodeTarReference(dir, entries, join(tmp.dir, 'reference.tgz'));
    const bytes = await readFile(ours);
    expect(bytes.length).toBe(reference.length);
    expect(bytes.equals(reference)).toBe(true);
    expect(written).toEqual({ size: bytes.length, integrity: await integrityOfFile(ours) });
    // GNU tar reads it back: every file with its content.
    const out = join(tmp.dir, 'extracted');
    await mkdir(out);
    await execa('tar', ['-xzf', ours, '-C', out]);
    for (const [rel, content] of Object.entries(files)) expect(await readFile(join(out, 'package', rel), 'utf8')).toBe(content);
  });

  it('refuses a file that grew or shrank after it was listed (PACK_FILE_CHANGED), so validated and packed bytes agree', async () => {
    const dir = join(tmp.dir, 'changing');
    await mkdir(join(dir, 'lib'), { recursive: true });
    await writeFile(join(dir, 'plugin.json'), '{}');
    await writeFile(join(dir, 'lib/grows.js'), 'one\n');
    await writeFile(join(dir, 'lib/shrinks.js'), 'two two\n');
    const entries = await listPackageFiles(dir);
    await appendFile(join(dir, 'lib/grows.js'), 'more\n');
    await expect(writeTarball(dir, entries, join(tmp.dir, 'grew.tgz'))).rejects.toMatchObject({ code: 'PACK_FILE_CHANGED', data: { path: 'lib/grows.js' } });
    await writeFile(join(dir, 'lib/grows.js'), 'one\n');
    await truncate(join(dir, 'lib/shrinks.js'), 3);
    await expect(writeTarball(dir, entries, join(tmp.dir, 'shrank.tgz'))).rejects.toMatchObject({ code: 'PACK_FILE_CHANGED', data: { path: 'lib/shrinks.js' } });
  });

  it('refuses a file deleted after it was listed (PACK_FILE_CHANGED), and stops with the reason when aborted', async () => {
    const dir = join(tmp.dir, 'vanishing');
    await mkdir(join(dir, 'lib'), { recursive: true });
    await writeFile(join(dir, 'plugin.json'), '{}');
    await writeFile(join(dir, 'lib/gone.js'), 'one\n');
    const entries = await listPackageFiles(dir);
    await expect(writeTarball(dir, entries, join(tmp.dir, 'aborted.tgz'), { signal: AbortSignal.abort(new Error('the plugin was refused')) })).rejects.toThrow('the plugin was refused');
    await rm(join(dir, 'lib/gone.js'));
    await expect(writeTarball(dir, entries, join(tmp.dir, 'gone.tgz'))).rejects.toMatchObject({ code: 'PACK_FILE_CHANGED', data: { path: 'lib/gone.js' } });
  });

  it('gives the same bytes on every run', async () => {
    const dir = join(tmp.dir, 'repeat');
    await mkdir(join(dir, 'lib'), { recursive: true });
    await writeFile(join(dir, 'plugin.json'), '{}');
    for (let i = 0; i < 50; i++) await writeFile(join(dir, 'lib', `f${i}.js`), text(30_000 + i, `r${i}`));
    const entries = await listPackageFiles(dir);
    const runs = await Promise.all([0, 1, 2].map((i) => writeTarball(dir, entries, join(tmp.dir, `repeat-${i}.tgz`))));
    expect(new Set(runs.map((r) => r.integrity)).size).toBe(1);
    expect((await readdir(tmp.dir)).filter((f) => f.startsWith('repeat-'))).toHaveLength(3);
  });
});
