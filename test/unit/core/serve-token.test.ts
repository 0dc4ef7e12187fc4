import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmod, lstat, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadOrCreateServeToken, serveTokenStatus } from '../../../src/core/serve-token.js';
import { tempDir } from '../../helpers/pm.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => (tmp = await tempDir('pm-serve-token-unit-')));
afterEach(() => tmp.cleanup());

describe('loadOrCreateServeToken', () => {
  it('creates a random base64url token in a 0600 file, then returns the same one', async () => {
    const home = join(tmp.dir, 'home');
    const first = await loadOrCreateServeToken(home);
    expect(first).toMatchObject({ path: join(home, 'serve-token'), created: true });
    expect(first.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await lstat(first.path)).mode & 0o777).toBe(0o600);
    expect(await readFile(first.path, 'utf8')).toBe(first.token + '\n');
    expect(await loadOrCreateServeToken(home)).toEqual({ ...first, created: false });
    expect(await readdir(home)).toEqual(['serve-token']);
  });

  it('gives two servers starting at once the same token', async () => {
    const home = join(tmp.dir, 'home');
    const all = await Promise.all([1, 2, 3, 4].map(() => loadOrCreateServeToken(home)));
    expect(new Set(all.map((t) => t.token)).size).toBe(1);
    expect(all.filter((t) => t.created)).toHaveLength(1);
    expect(await readdir(home)).toEqual(['serve-token']);
  });

  it('refuses a group- or world-readable file, a directory, a symlink and a file that holds no token', async () => {
    const home = tmp.dir;
    const path = join(home, 'serve-token');
    await writeFile(path, 'long-enough-token-0123456789\n', { mode: 0o640 });
    await chmod(path, 0o640);
    await expect(loadOrCreateServeToken(home)).rejects.toMatchObject({ code: 'SERVE_TOKEN_FILE_UNSAFE', message: `refusing to use the HTTP token in ${path}: its mode 0640 lets other users read or change it` });
    await chmod(path, 0o600);
    await writeFile(path, 'short\n');
    await expect(loadOrCreateServeToken(home)).rejects.toMatchObject({ message: expect.stringContaining('it does not hold a token') });
    const dirHome = join(tmp.dir, 'd');
    await mkdir(join(dirHome, 'serve-token'), { recursive: true });
    await expect(loadOrCreateServeToken(dirHome)).rejects.toMatchObject({ message: expect.stringContaining('it is not a regular file') });
    const linkHome = join(tmp.dir, 'l');
    await mkdir(linkHome);
    await writeFile(join(tmp.dir, 'target'), 'long-enough-token-0123456789\n', { mode: 0o600 });
    await symlink(join(tmp.dir, 'target'), join(linkHome, 'serve-token'));
    await expect(loadOrCreateServeToken(linkHome)).rejects.toMatchObject({ message: expect.stringContaining('it is a symbolic link') });
  });
});

describe('serveTokenStatus', () => {
  it('reports missing, ok and unsafe without changing anything', async () => {
    const home = join(tmp.dir, 'home');
    expect(await serveTokenStatus(home)).toEqual({ path: join(home, 'serve-token'), state: 'missing' });
    await loadOrCreateServeToken(home);
    expect((await serveTokenStatus(home)).state).toBe('ok');
    await chmod(join(home, 'serve-token'), 0o604);
    expect(await serveTokenStatus(home)).toMatchObject({ state: 'unsafe', problem: expect.stringContaining('mode 0604') });
    expect((await lstat(join(home, 'serve-token'))).mode & 0o777).toBe(0o604);
  });
});
