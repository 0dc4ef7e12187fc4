import { afterAll, describe, expect, it } from 'vitest';
import { chmod, lstat, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createVenv, pythonEnv, runProgram } from '../../../../src/core/sources/pypi-python.js';
import { tempDir } from '../../../helpers/pm.js';
import { announceSkip, python3Missing } from '../../../helpers/python.js';

const tmp = await tempDir();
afterAll(() => tmp.cleanup());

/** Every entry under `dir` that is a symbolic link (a plugin folder may hold none). */
async function links(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { recursive: true })) if ((await lstat(join(dir, e))).isSymbolicLink()) out.push(e);
  return out;
}

describe('pypi-python', () => {
  it('refuses a python that cannot run with PYTHON_MISSING and the apt/dnf hint', async () => {
    await expect(createVenv(join(tmp.dir, 'v0'), { python: join(tmp.dir, 'no-such-python3') })).rejects.toMatchObject({
      code: 'PYTHON_MISSING', hint: expect.stringMatching(/apt-get install python3 python3-venv.*dnf install python3/),
    });
  });

  it('refuses a python without the venv module (Debian without python3-venv) with PYTHON_VENV_MISSING', async () => {
    // A python3 that answers the version check but, like Debian's without python3-venv, cannot make a venv.
    const fake = join(tmp.dir, 'python3-no-venv');
    await writeFile(fake, '#!/bin/sh\nif [ "$1" = "-m" ]; then echo "The virtual environment was not created successfully because ensurepip is not available." >&2; exit 1; fi\necho 3.11\n');
    await chmod(fake, 0o755);
    const err = (await createVenv(join(tmp.dir, 'v1'), { python: fake }).then(() => undefined, (e: unknown) => e)) as Error & { code: string; hint: string };
    expect(err).toMatchObject({ code: 'PYTHON_VENV_MISSING', hint: expect.stringContaining('apt-get install python3-venv') });
    expect(err.message).toBe(`${fake} cannot create a virtual environment: The virtual environment was not created successfully because ensurepip is not available.`);
  });

  it('keeps pip\'s own configuration but drops what would send files outside the venv', () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, { PIP_INDEX_URL: 'https://idx.example/simple', PIP_FIND_LINKS: '/w', PIP_TARGET: '/elsewhere', PIP_USER: '1', PYTHONPATH: '/evil' });
      const env = pythonEnv();
      expect(env).toMatchObject({ PIP_INDEX_URL: 'https://idx.example/simple', PIP_FIND_LINKS: '/w' });
      expect(env.PIP_TARGET).toBeUndefined();
      expect(env.PIP_USER).toBeUndefined();
      expect(env.PYTHONPATH).toBeUndefined();
    } finally {
      process.env = saved;
    }
  });

  announceSkip('createVenv with the real python3', python3Missing);
  it.skipIf(python3Missing)(python3Missing ? `creates a relocatable venv — SKIPPED: ${python3Missing}` : 'creates a venv with no links that still runs after it is moved', async () => {
    const made = join(tmp.dir, 'made');
    const python = await createVenv(made);
    expect(python).toBe(join(made, 'bin', 'python'));
    expect(await links(made)).toEqual([]);
    const moved = join(tmp.dir, 'moved');
    await rename(made, moved);
    const r = await runProgram(join(moved, 'bin', 'python'), ['-c', 'import sys; print(sys.prefix)'], { env: pythonEnv() });
    expect(r.stdout.trim()).toBe(moved);
  });
});
