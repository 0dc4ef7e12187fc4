import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { appendFile, copyFile, cp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { pm, tempDir } from '../../helpers/pm.js';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { notesPlugin, pack, sign, signingKey, snapshot } from '../../helpers/store.js';
import { installPlugin, updatePlugin } from '../../../src/core/store/install.js';
import { linkPlugin } from '../../../src/core/store/link.js';
import { uninstallPlugin } from '../../../src/core/store/uninstall.js';
import { listPlugins } from '../../../src/core/store/list.js';
import { pluginInfo } from '../../../src/core/store/info.js';
import { pluginDir, readState } from '../../../src/core/store/state.js';
import { checkStore } from '../../../src/core/store/check.js';

const tmp = await tempDir('pm-install-');
const keysHome = join(tmp.dir, 'publisher');
let fpr = '';
const pkgs: Record<string, string> = {};
let server: Server;
let base = '';
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await tmp.cleanup();
});

beforeAll(async () => {
  fpr = await signingKey(keysHome);
  for (const v of ['1.0.0', '1.1.0']) {
    pkgs[v] = await pack(await notesPlugin(join(tmp.dir, `src-${v}`), v), join(tmp.dir, 'pkgs'));
    await sign(pkgs[v]!, keysHome);
  }
  // A real HTTP server on 127.0.0.1 serving the package folder.
  server = createServer(async (req, res) => {
    try {
      const body = await readFile(join(tmp.dir, 'pkgs', decodeURIComponent(req.url!.slice(1))));
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

let n = 0;
/** A PM_HOME that trusts the publisher's key (the keyring is copied, so the key is own and trusted). */
async function trustingHome(): Promise<string> {
  const home = join(tmp.dir, `home${++n}`);
  await mkdir(home, { recursive: true });
  await cp(join(keysHome, 'keys'), join(home, 'keys'), { recursive: true });
  return home;
}

describe('plugin-install', () => {
  it('installs a signed .tgz, recording its signer, integrity and source', async () => {
    const home = await trustingHome();
    const r = await installPlugin(pkgs['1.0.0']!, { home });
    expect(r).toMatchObject({ name: 'notes', version: '1.0.0', action: 'installed', enabled: true, signer: { fingerprint: fpr } });
    const rec = (await readState(home)).plugins.notes!;
    expect(rec.integrity).toMatch(/^sha512-/);
    expect(rec.source).toEqual({ type: 'tgz', path: pkgs['1.0.0'] });
    expect(rec.signer!.userIds[0]).toContain('store@example.org');
    expect(await readFile(join(pluginDir(home, 'notes'), 'VERSION'), 'utf8')).toBe('1.0.0\n');
    const audit = JSON.parse((await readFile(join(home, 'logs', 'audit.log'), 'utf8')).trim());
    expect(audit).toMatchObject({ action: 'install', plugin: 'notes', version: '1.0.0', integrity: rec.integrity, signer: fpr });
    expect(typeof audit.user).toBe('string');
    expect(typeof audit.time).toBe('string');
  });

  it('installs from an http URL, fetching the .prov beside it', async () => {
    const home = await trustingHome();
    const r = await installPlugin(`${base}/notes-1.0.0.tgz`, { home });
    expect(r.signer!.fingerprint).toBe(fpr);
    expect(r.source).toEqual({ type: 'url', url: `${base}/notes-1.0.0.tgz` });
  });

  it('refuses a URL whose download fails, with the HTTP status', async () => {
    const home = await trustingHome();
    const err = await installPlugin(`${base}/missing-1.0.0.tgz`, { home }).catch((e) => e);
    expect(err.code).toBe('DOWNLOAD_FAILED');
    expect(err.message).toBe(`cannot download ${base}/missing-1.0.0.tgz: HTTP 404`);
  });

  it('stops plugin-install of a URL whose server accepts and never answers: one line naming URL and timeout, exit 4, PM_HOME unchanged', async () => {
    const held: Socket[] = [];
    const silent = createTcpServer((sock) => void held.push(sock));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/notes-1.0.0.tgz`;
    try {
      const home = await trustingHome();
      const before = await snapshot(home);
      const err = await installPlugin(url, { home, fetchTimeoutMs: 150 }).catch((e) => e);
      expect([err.code, err.exitCode, err.message]).toEqual(['FETCH_TIMEOUT', 4, `no answer from ${url} within 150 ms (after 2 attempts)`]);
      expect(await snapshot(home, (rel) => rel.startsWith('staging'))).toEqual(before);
      expect(await readdir(join(home, 'staging')).catch(() => [])).toEqual([]);
      const r = await pm(['plugin-install', url, '--timeout', '150', '--home', home]);
      expect(r.exitCode).toBe(4);
      expect(r.stderr).toBe(`error: no answer from ${url} within 150 ms (after 2 attempts)\nhint: the server accepted the connection but did not answer in time; try again later, or raise --timeout if it is known to be slow`);
    } finally {
      for (const s of held) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  it('refuses a .tgz signed by a key this PM_HOME does not trust (exit 4), changing nothing', async () => {
    const home = join(tmp.dir, `untrusting${++n}`);
    const err = await installPlugin(pkgs['1.0.0']!, { home }).catch((e) => e);
    expect(err.exitCode).toBe(4);
    expect(err.kind).toBe('verification');
    expect(await readdir(join(home, 'plugins')).catch(() => [])).toEqual([]);
  });

  it('refuses a .tgz whose bytes no longer match its provenance (exit 4)', async () => {
    const home = await trustingHome();
    const dir = join(tmp.dir, `tampered${++n}`);
    await mkdir(dir);
    const tgz = join(dir, 'notes-1.0.0.tgz');
    await copyFile(pkgs['1.0.0']!, tgz);
    await copyFile(`${pkgs['1.0.0']}.prov`, `${tgz}.prov`);
    await appendFile(tgz, Buffer.from([0]));
    const err = await installPlugin(tgz, { home }).catch((e) => e);
    expect(err.exitCode).toBe(4);
    expect((await readState(home)).plugins).toEqual({});
  });

  it('refuses an unsigned .tgz unless --allow-unsigned, then records it as unsigned', async () => {
    const home = await trustingHome();
    const dir = join(tmp.dir, `unsigned${++n}`);
    await mkdir(dir);
    const tgz = join(dir, 'notes-1.0.0.tgz');
    await copyFile(pkgs['1.0.0']!, tgz);
    const err = await installPlugin(tgz, { home }).catch((e) => e);
    expect(err.code).toBe('SIGNATURE_MISSING');
    expect(err.message).toBe(`notes-1.0.0.tgz is not signed: ${tgz}.prov does not exist`);
    expect(err.hint).toContain('--allow-unsigned');
    expect(err.exitCode).toBe(4);
    const r = await installPlugin(tgz, { home, allowUnsigned: true });
    expect(r.signer).toBeNull();
    expect((await listPlugins({ home }))[0]!.signer).toBeNull();
  });

  it('installs a folder as an unsigned development install', async () => {
    const home = await trustingHome();
    const r = await installPlugin(join(tmp.dir, 'src-1.0.0'), { home });
    expect(r.signer).toBeNull();
    expect(r.integrity).toBeNull();
    expect(r.source).toEqual({ type: 'dir', path: join(tmp.dir, 'src-1.0.0') });
  });

  it('refuses the installed version again without --force, and reinstalls it with --force', async () => {
    const home = await trustingHome();
    await installPlugin(pkgs['1.0.0']!, { home });
    const err = await installPlugin(pkgs['1.0.0']!, { home }).catch((e) => e);
    expect(err.code).toBe('ALREADY_INSTALLED');
    expect(err.hint).toBe('add --force to reinstall it');
    expect((await installPlugin(pkgs['1.0.0']!, { home, force: true })).action).toBe('reinstalled');
  });

  it('refuses a plugin whose engines.pm does not match this pm', async () => {
    const home = await trustingHome();
    const src = await notesPlugin(join(tmp.dir, `future${++n}`), '1.0.0', { engines: { pm: '^9.0.0' } });
    const err = await installPlugin(src, { home }).catch((e) => e);
    expect(err.code).toBe('ENGINE_MISMATCH');
    expect(err.message).toBe('notes@1.0.0 needs pm ^9.0.0, but this is pm 1.0.0');
  });

  it('refuses a plugin whose engines.node does not match this Node', async () => {
    const home = await trustingHome();
    const src = await notesPlugin(join(tmp.dir, `node99${++n}`), '1.0.0', { engines: { node: '>=99' } });
    const err = await installPlugin(src, { home }).catch((e) => e);
    expect(err.code).toBe('ENGINE_MISMATCH');
    expect(err.message).toBe(`notes@1.0.0 needs Node >=99, but this is Node ${process.versions.node}`);
  });
});

describe('plugin-update', () => {
  it('replaces the version in one swap, keeps data/<name>, enabled state and config', async () => {
    const home = await trustingHome();
    await installPlugin(pkgs['1.0.0']!, { home, enable: false });
    await writeFile(join(home, 'data', 'notes', 'notes.md'), 'keep me\n');
    const r = await updatePlugin('notes', pkgs['1.1.0']!, { home });
    expect(r).toMatchObject({ action: 'updated', previousVersion: '1.0.0', version: '1.1.0', enabled: false });
    expect(await readFile(join(home, 'data', 'notes', 'notes.md'), 'utf8')).toBe('keep me\n');
    expect(await readFile(join(home, 'plugins', 'notes', 'VERSION'), 'utf8')).toBe('1.1.0\n');
    expect(await readdir(join(home, 'plugins'))).toEqual(['notes']);
  });

  it('refuses a downgrade without --allow-downgrade', async () => {
    const home = await trustingHome();
    await installPlugin(pkgs['1.1.0']!, { home });
    const err = await updatePlugin('notes', pkgs['1.0.0']!, { home }).catch((e) => e);
    expect(err.code).toBe('DOWNGRADE');
    expect(err.message).toBe('notes@1.0.0 is older than the installed 1.1.0');
    expect(err.hint).toBe('add --allow-downgrade to install the older version');
    expect((await updatePlugin('notes', pkgs['1.0.0']!, { home, allowDowngrade: true })).action).toBe('downgraded');
  });

  it('refuses to update a plugin that is not installed', async () => {
    const err = await updatePlugin('notes', pkgs['1.1.0']!, { home: await trustingHome() }).catch((e) => e);
    expect(err.code).toBe('NOT_INSTALLED');
  });

  it('refuses a package of another plugin', async () => {
    const home = await trustingHome();
    await installPlugin(pkgs['1.0.0']!, { home });
    const other = await notesPlugin(join(tmp.dir, `other${++n}`), '2.0.0', { name: 'other' });
    const err = await updatePlugin('notes', other, { home }).catch((e) => e);
    expect(err.code).toBe('MANIFEST_MISMATCH');
  });

  it('rolls back completely when the new version fails a check: files, state and data unchanged', async () => {
    const home = await trustingHome();
    await installPlugin(pkgs['1.0.0']!, { home });
    await writeFile(join(home, 'data', 'notes', 'notes.md'), 'keep me\n');
    const before = await snapshot(home, (rel) => rel.startsWith('logs') || rel === 'staging');
    const broken = await notesPlugin(join(tmp.dir, `broken${++n}`), '1.2.0', { engines: { node: '>=99' } });
    await expect(updatePlugin('notes', broken, { home })).rejects.toMatchObject({ code: 'ENGINE_MISMATCH' });
    expect(await snapshot(home, (rel) => rel.startsWith('logs') || rel === 'staging')).toEqual(before);
  });
});

describe('plugin-link and plugin-uninstall', () => {
  it('links a folder in place: edits show without reinstalling, and the list marks it linked', async () => {
    const home = await trustingHome();
    const dev = await notesPlugin(join(tmp.dir, `dev${++n}`), '0.1.0');
    const r = await linkPlugin(dev, { home });
    expect(r).toMatchObject({ name: 'notes', version: '0.1.0', path: dev });
    const state = await readState(home);
    expect(pluginDir(home, 'notes', state)).toBe(dev);
    await writeFile(join(dev, 'VERSION'), 'edited\n');
    expect(await readFile(join(pluginDir(home, 'notes', state), 'VERSION'), 'utf8')).toBe('edited\n');
    const [row] = await listPlugins({ home });
    expect(row).toMatchObject({ linked: true, source: { type: 'link', path: dev }, signer: null });
    expect((await checkStore(home)).problems).toEqual([]);
    await uninstallPlugin('notes', { home });
    expect(await readFile(join(dev, 'VERSION'), 'utf8')).toBe('edited\n'); // uninstall never touches the linked folder
  });

  it('says a linked folder is gone, and how to fix it, in plugin-info and pm doctor', async () => {
    const home = await trustingHome();
    const dev = await notesPlugin(join(tmp.dir, `gone${++n}`), '0.1.0');
    await linkPlugin(dev, { home });
    await rm(dev, { recursive: true });
    await expect(pluginInfo('notes', { home })).rejects.toMatchObject({ code: 'LINK_MISSING', hint: expect.stringContaining("'pm plugin-uninstall notes'") });
    expect((await checkStore(home)).problems.map((p) => p.code)).toEqual(['LINK_MISSING']);
  });

  it('uninstall keeps data/<name> unless --purge', async () => {
    const home = await trustingHome();
    await installPlugin(pkgs['1.0.0']!, { home });
    await writeFile(join(home, 'data', 'notes', 'notes.md'), 'keep me\n');
    await uninstallPlugin('notes', { home });
    expect(await readFile(join(home, 'data', 'notes', 'notes.md'), 'utf8')).toBe('keep me\n');
    await installPlugin(pkgs['1.0.0']!, { home });
    const r = await uninstallPlugin('notes', { home, purge: true });
    expect(r.purged).toBe(true);
    expect(await readdir(join(home, 'data'))).toEqual([]);
    expect(await readdir(join(home, 'plugins'))).toEqual([]);
    const actions = (await readFile(join(home, 'logs', 'audit.log'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l).action);
    expect(actions).toEqual(['install', 'uninstall', 'install', 'uninstall']);
  });

  it('refuses to uninstall a plugin that is not installed, naming what is', async () => {
    const home = await trustingHome();
    await installPlugin(pkgs['1.0.0']!, { home });
    const err = await uninstallPlugin('nope', { home }).catch((e) => e);
    expect(err.code).toBe('NOT_INSTALLED');
    expect(err.message).toBe('plugin "nope" is not installed');
    expect(err.hint).toBe("installed plugins: notes ('pm plugin-list')");
  });
});
