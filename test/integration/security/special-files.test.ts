// Issue 13.7: a FIFO named plugin.json hung plugin-validate forever and hung plugin-install of a
// folder while it held the store lock; `--prov /dev/zero` and `keys-import /dev/zero` read ~620 MB
// before failing. Every file pm is given is now opened non-blocking, checked to be a regular file
// and read bounded (src/core/fs/read-regular-file.ts). These run the real bin on real FIFOs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pm, tempDir, type PmResult } from '../../helpers/pm.js';
import { pack, snapshot, storePlugin } from '../../helpers/store.js';

const tmp = await tempDir('pm-special-files-');
afterAll(() => tmp.cleanup());

/** A hang fails the test in 20 s instead of waiting for vitest; a prompt refusal takes well under 5 s. */
async function prompt(args: string[], home: string, cwd = tmp.dir): Promise<PmResult & { ms: number }> {
  const t0 = Date.now();
  const r = await pm([...args, '--home', home], { cwd, timeout: 20_000 });
  return { ...r, ms: Date.now() - t0 };
}

const fifo = (path: string) => {
  execFileSync('mkfifo', [path]);
  return path;
};

let good: string;
let tgz: string;
beforeAll(async () => {
  good = await storePlugin(join(tmp.dir, 'good'), 'good', '1.0.0');
  await mkdir(join(tmp.dir, 'pkgs'));
  tgz = await pack(good, join(tmp.dir, 'pkgs'));
});

/** PM_HOME's files except the lock and the store's empty staging folder: what a refusal must leave as it was. */
const homeState = async (home: string) => (existsSync(home)
  ? Object.fromEntries(Object.entries(await snapshot(home, (rel) => rel.endsWith('store.lock'))).filter(([k]) => k !== 'staging/'))
  : {});

describe('a FIFO named plugin.json', () => {
  let dir: string;
  beforeAll(async () => {
    dir = join(tmp.dir, 'fifo-manifest');
    await mkdir(dir);
    fifo(join(dir, 'plugin.json'));
  });

  it('plugin-validate refuses it at once instead of hanging (exit 3)', async () => {
    const r = await prompt(['plugin-validate', dir], join(tmp.dir, 'home-validate'));
    expect(r.exitCode).toBe(3);
    expect(r.stdout + r.stderr).toContain(`the manifest ${join(dir, 'plugin.json')} is a FIFO (named pipe), not a regular file`);
    expect(r.ms).toBeLessThan(5_000);
  });

  it('plugin-package refuses it at once and writes no package (exit 3)', async () => {
    const out = join(tmp.dir, 'out-fifo');
    await mkdir(out);
    const r = await prompt(['plugin-package', dir, '--out', out], join(tmp.dir, 'home-package'));
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('is a FIFO (named pipe), not a regular file');
    expect(await readdir(out)).toEqual([]);
    expect(r.ms).toBeLessThan(5_000);
  });

  it('plugin-install refuses it at once, writes nothing, and leaves the store lock free for the next install', async () => {
    const home = join(tmp.dir, 'home-install');
    const before = await homeState(home);
    const r = await prompt(['plugin-install', dir], home);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('is a FIFO (named pipe), not a regular file');
    expect(r.ms).toBeLessThan(5_000);
    expect(await homeState(home)).toEqual(before);
    const next = await prompt(['plugin-install', good], home);
    expect(next.exitCode, next.stderr).toBe(0);
    expect(next.ms).toBeLessThan(10_000);
  });
});

describe('FIFOs elsewhere in a plugin folder', () => {
  it('plugin-install of a folder whose .pmignore is a FIFO is refused at once and the lock is free after', async () => {
    const dir = await storePlugin(join(tmp.dir, 'fifo-ignore'), 'fifo-ignore', '1.0.0');
    fifo(join(dir, '.pmignore'));
    const home = join(tmp.dir, 'home-ignore');
    const r = await prompt(['plugin-install', dir], home);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('.pmignore: is not a regular file or folder (device, FIFO or socket)');
    expect(r.ms).toBeLessThan(5_000);
    expect((await prompt(['plugin-install', good], home)).exitCode).toBe(0);
  });

  it('plugin-validate reports a prompt template that is a FIFO instead of waiting on it', async () => {
    const dir = await storePlugin(join(tmp.dir, 'fifo-prompt'), 'fifo-prompt', '1.0.0', {
      contributes: { prompts: [{ name: 'p', description: 'a prompt', messages: [{ role: 'user', template: 'p.hbs' }] }] },
    });
    fifo(join(dir, 'p.hbs'));
    const r = await prompt(['plugin-validate', dir], join(tmp.dir, 'home-prompt'));
    expect(r.exitCode).toBe(3);
    expect(r.stdout + r.stderr).toContain('"p.hbs" is a FIFO (named pipe), not a regular file');
    expect(r.ms).toBeLessThan(5_000);
  });
});

describe('devices and FIFOs given as files', () => {
  it('plugin-install --prov /dev/zero is refused at once without reading it, and installs nothing (exit 2)', async () => {
    const home = join(tmp.dir, 'home-prov');
    const r = await prompt(['plugin-install', tgz, '--prov', '/dev/zero'], home);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: the provenance file /dev/zero is a character device, not a regular file');
    expect(r.ms).toBeLessThan(5_000);
    expect(await homeState(home)).toEqual({});
  });

  it('plugin-install --prov <FIFO> is refused at once instead of waiting for a writer (exit 2)', async () => {
    const r = await prompt(['plugin-install', tgz, '--prov', fifo(join(tmp.dir, 'prov.fifo'))], join(tmp.dir, 'home-prov-fifo'));
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('is a FIFO (named pipe), not a regular file');
    expect(r.ms).toBeLessThan(5_000);
  });

  it('plugin-verify --prov /dev/zero is refused at once (exit 2)', async () => {
    const r = await prompt(['plugin-verify', tgz, '--prov', '/dev/zero'], join(tmp.dir, 'home-verify'));
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('the provenance file /dev/zero is a character device, not a regular file');
    expect(r.ms).toBeLessThan(5_000);
  });

  it('plugin-install of a FIFO or a device as the package is refused before the store is touched (exit 2)', async () => {
    const home = join(tmp.dir, 'home-tgz');
    const f = await prompt(['plugin-install', fifo(join(tmp.dir, 'pkg.tgz')), '--allow-unsigned'], home);
    expect(f.exitCode).toBe(2);
    expect(f.stderr).toContain('pkg.tgz is a FIFO (named pipe), not a plugin folder or package file');
    const z = await prompt(['plugin-install', '/dev/zero', '--allow-unsigned'], home);
    expect(z.exitCode).toBe(2);
    expect(z.stderr).toContain('/dev/zero is a character device, not a plugin folder or package file');
    expect(f.ms + z.ms).toBeLessThan(10_000);
    expect(existsSync(home)).toBe(false);
  });

  it('keys-import /dev/zero and keys-import <FIFO> are refused at once and import nothing (exit 2)', async () => {
    const home = join(tmp.dir, 'home-keys');
    const z = await prompt(['keys-import', '/dev/zero'], home);
    expect(z.exitCode).toBe(2);
    expect(z.stderr).toContain('error: the key file /dev/zero is a character device, not a regular file');
    const f = await prompt(['keys-import', fifo(join(tmp.dir, 'key.fifo'))], home);
    expect(f.exitCode).toBe(2);
    expect(f.stderr).toContain('is a FIFO (named pipe), not a regular file');
    expect(z.ms + f.ms).toBeLessThan(10_000);
    expect(await homeState(home)).toEqual({});
  });

  it('keys-generate --passphrase-file /dev/zero is refused at once and makes no key (exit 2)', async () => {
    const home = join(tmp.dir, 'home-pass');
    const r = await prompt(['keys-generate', '--passphrase-file', '/dev/zero'], home);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('the passphrase file /dev/zero is a character device, not a regular file');
    expect(r.ms).toBeLessThan(5_000);
    expect(await homeState(home)).toEqual({});
  });

  it('a FIFO planted as the keyring file does not hang keys-list: refused at once, exit 1', async () => {
    const home = join(tmp.dir, 'home-keyring');
    await mkdir(join(home, 'keys'), { recursive: true });
    fifo(join(home, 'keys', 'keyring.json'));
    const r = await prompt(['keys-list'], home);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`the keyring file ${join(home, 'keys', 'keyring.json')} is a FIFO (named pipe), not a regular file`);
    expect(r.ms).toBeLessThan(5_000);
  });
});
