import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { buildRegistry } from '../../src/core/registry/build.js';
import { signPackage } from '../../src/core/sign/index.js';
import { homeWithKey, makeSignedPackage, serveStatic } from '../helpers/market.js';
import { pm, tempDir } from '../helpers/pm.js';

// Every attack on a registry a client must stop: each shows exit 4, its message, and that the
// store (state.json, plugins/) and the trusted registry state did not change.
const tmp = await tempDir('pm-market-attacks-');
const pub = join(tmp.dir, 'publisher');
const attacker = join(tmp.dir, 'attacker');
const user = join(tmp.dir, 'user');
const site = join(tmp.dir, 'site');
const siteV1 = join(tmp.dir, 'site-v1');
const work = join(tmp.dir, 'work');
const v2 = join(tmp.dir, 'pkgs-v2');
let server: Awaited<ReturnType<typeof serveStatic>>;
let fpr: string;

beforeAll(async () => {
  fpr = await homeWithKey(pub);
  await homeWithKey(attacker, 'Mallory');
  const v1 = join(tmp.dir, 'pkgs-v1');
  await makeSignedPackage(pub, work, v1, 'storage', '1.0.0');
  await makeSignedPackage(pub, work, v1, 'notes', '1.0.0');
  await buildRegistry(v1, { out: site, home: pub, name: 'main' });
  await cp(site, siteV1, { recursive: true });
  await makeSignedPackage(pub, work, v2, 'notes', '1.1.0');
  await buildRegistry(v2, { out: site, home: pub });
  server = await serveStatic(site);
  const add = await pm(['marketplace-add', 'main', server.url, '--key', join(site, 'key.asc'), '--home', user]);
  expect(add.exitCode).toBe(0);
  const inst = await pm(['marketplace-install', 'storage', '--home', user]);
  expect(inst.exitCode).toBe(0);
});
afterAll(async () => {
  await server?.close();
  await tmp.cleanup();
});

async function snapshot(): Promise<string> {
  const read = (p: string) => readFile(join(user, p), 'utf8').catch(() => '<none>');
  // fetchedAt moves whenever the index is confirmed unchanged; the trusted version and expiry must not.
  const trusted = JSON.parse(await read('registries/main.json'));
  delete trusted.fetchedAt;
  return JSON.stringify([await read('state.json'), trusted, await read('config.json'), (await readdir(join(user, 'plugins'))).sort()]);
}

/** Serves `body` for one path (and the real site for the rest) while `fn` runs. */
async function serving<T>(paths: Record<string, Buffer | ((res: import('node:http').ServerResponse) => void)>, fn: () => Promise<T>): Promise<T> {
  server.setOverride((req, res) => {
    const p = paths[(req.url ?? '').split('?')[0]];
    if (p === undefined) return false;
    if (typeof p === 'function') p(res);
    else { res.writeHead(200, { 'content-length': p.length }); res.end(p); }
    return true;
  });
  try {
    return await fn();
  } finally {
    server.setOverride(undefined);
  }
}

async function attack(paths: Parameters<typeof serving>[0], args: string[]): Promise<{ stderr: string; stdout: string }> {
  const before = await snapshot();
  const r = await serving(paths, () => pm([...args, '--home', user]));
  expect(r.exitCode).toBe(4);
  expect(await snapshot()).toBe(before);
  return r;
}

const notFound = (res: import('node:http').ServerResponse) => { res.writeHead(404); res.end(); };

describe('registry attacks are refused with exit 4 and the store unchanged', () => {
  it('refuses an older index after a newer one (rollback)', async () => {
    const r = await attack({
      '/index.json': await readFile(join(siteV1, 'index.json')),
      '/index.json.asc': await readFile(join(siteV1, 'index.json.asc')),
    }, ['marketplace-install', 'notes']);
    expect(r.stderr).toContain('error: registry main: index version 1 is older than version 2 already trusted');
    expect(r.stderr).toContain('hint: someone is serving an old index (rollback attack)');
  });

  it('refuses an expired index (freeze)', async () => {
    const frozen = join(tmp.dir, 'site-frozen');
    await cp(site, frozen, { recursive: true });
    const b = await buildRegistry(v2, { out: frozen, home: pub, now: new Date(Date.now() - 40 * 86_400_000), expiresIn: '30d' });
    const r = await attack({
      '/index.json': await readFile(join(frozen, 'index.json')),
      '/index.json.asc': await readFile(join(frozen, 'index.json.asc')),
    }, ['marketplace-search', 'notes']);
    expect(r.stderr).toContain(`error: registry main: the index expired at ${b.expires} (version 3)`);
  });

  it('refuses an index whose bytes differ from what was signed', async () => {
    const text = await readFile(join(site, 'index.json'), 'utf8');
    const r = await attack({ '/index.json': Buffer.from(text.replace('"description": "Keep notes', '"description": "Keep n0tes')) }, ['marketplace-search', 'notes']);
    expect(r.stderr).toContain(`error: registry main: the signature of index.json does not verify with the pinned key ${fpr}`);
  });

  it('refuses a changed index signed by another key', async () => {
    const { signDetached } = await import('../../src/core/sign/index.js');
    const bytes = Buffer.from((await readFile(join(site, 'index.json'), 'utf8')).replace('"version": 2', '"version": 8'));
    const forged = await signDetached(bytes, { home: attacker });
    const r = await attack({ '/index.json': bytes, '/index.json.asc': Buffer.from(forged) }, ['marketplace-search', 'notes']);
    expect(r.stderr).toContain(`error: registry main: the signature of index.json does not verify with the pinned key ${fpr}`);
  });

  it('refuses a changed index whose signature is missing', async () => {
    const bytes = Buffer.from((await readFile(join(site, 'index.json'), 'utf8')).replace('"version": 2', '"version": 8'));
    const r = await attack({ '/index.json': bytes, '/index.json.asc': notFound }, ['marketplace-search', 'notes']);
    expect(r.stderr).toContain("error: registry main: index.json.asc is missing but the registry's key is pinned");
  });

  it('refuses a package whose bytes differ from the integrity in the index', async () => {
    const bytes = await readFile(join(site, 'packages', 'notes', 'notes-1.1.0.tgz'));
    bytes[bytes.length - 20] ^= 0xff;
    const r = await attack({ '/packages/notes/notes-1.1.0.tgz': bytes }, ['marketplace-install', 'notes']);
    expect(r.stderr).toContain('error: notes@1.1.0 from main does not match the integrity in the signed index');
  });

  it('refuses a package larger than the index says, without reading past the size', async () => {
    const bytes = await readFile(join(site, 'packages', 'notes', 'notes-1.1.0.tgz'));
    const r = await attack({ '/packages/notes/notes-1.1.0.tgz': Buffer.concat([bytes, Buffer.alloc(1)]) }, ['marketplace-install', 'notes']);
    expect(r.stderr).toMatch(/error: notes@1\.1\.0 from main is larger than the \d+ bytes the signed index states/);
  });

  it('refuses a package signed by a key the registry did not list', async () => {
    const copy = join(tmp.dir, 'evil', 'notes-1.1.0.tgz');
    await cp(join(site, 'packages', 'notes', 'notes-1.1.0.tgz'), copy);
    const { provPath } = await signPackage(copy, { home: attacker });
    const r = await attack({ '/packages/notes/notes-1.1.0.tgz.prov': await readFile(provPath) }, ['marketplace-install', 'notes']);
    expect(r.stderr).toContain(`error: notes@1.1.0 from registry main is signed by a key the registry does not list for it`);
    expect(r.stderr).toContain(`listed: ${fpr}`);
  });

  it('refuses an index over the size cap', async () => {
    const r = await attack({
      '/index.json': (res) => { res.writeHead(200, { 'content-length': 17 * 1024 * 1024 }); res.end(Buffer.alloc(17 * 1024 * 1024, 32)); },
    }, ['marketplace-search', 'notes']);
    expect(r.stderr).toContain(`error: ${server.url}index.json is larger than the 16777216 byte limit`);
  });

  it('gives up on a server that never answers (timeout)', async () => {
    const r = await attack({ '/index.json': () => {} }, ['marketplace-search', 'notes', '--timeout', '300']);
    expect(r.stderr).toContain(`error: no complete answer from ${server.url}index.json within 300 ms (after 3 attempts)`);
  });

  it('refuses an index that names another registry URL', async () => {
    const moved = join(tmp.dir, 'site-moved');
    await cp(site, moved, { recursive: true });
    await buildRegistry(v2, { out: moved, home: pub, baseUrl: 'https://elsewhere.example/' });
    const r = await attack({
      '/index.json': await readFile(join(moved, 'index.json')),
      '/index.json.asc': await readFile(join(moved, 'index.json.asc')),
    }, ['marketplace-search', 'notes']);
    expect(r.stderr).toContain(`error: registry main: the index belongs to https://elsewhere.example/, not ${server.url}`);
  });

  it('refuses a package URL that points outside the registry', async () => {
    const evil = join(tmp.dir, 'site-evil');
    await cp(site, evil, { recursive: true });
    const index = JSON.parse(await readFile(join(evil, 'index.json'), 'utf8'));
    index.version = 7;
    index.plugins.notes.versions['1.1.0'].url = 'https://evil.example/notes.tgz';
    const bytes = Buffer.from(JSON.stringify(index));
    const { signDetached } = await import('../../src/core/sign/index.js');
    const r = await attack({ '/index.json': bytes, '/index.json.asc': Buffer.from(await signDetached(bytes, { home: pub })) }, ['marketplace-search', 'notes']);
    expect(r.stderr).toContain('error: registry main: notes@1.1.0 url points outside the registry: https://evil.example/notes.tgz');
  });
});

describe('adding a registry', () => {
  it('refuses a key that does not verify the index and saves nothing', async () => {
    const other = join(tmp.dir, 'other-home');
    const { openKeyring } = await import('../../src/core/sign/index.js');
    const { writeFile } = await import('node:fs/promises');
    const keyFile = join(tmp.dir, 'mallory.asc');
    await writeFile(keyFile, await openKeyring(attacker).exportPublic());
    const r = await pm(['marketplace-add', 'main', server.url, '--key', keyFile, '--home', other]);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('error: registry main: the signature of index.json does not verify with the pinned key');
    expect(await readFile(join(other, 'config.json'), 'utf8').catch(() => 'none')).toBe('none');
  });

  it('pins the key of the first index on trust-on-first-use and prints its fingerprint', async () => {
    const other = join(tmp.dir, 'tofu-home');
    const r = await pm(['marketplace-add', 'main', server.url, '--trust-on-first-use', '--home', other]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain(`warning: trusted on first use: pinned key ${fpr}`);
    expect(r.stdout).toContain(`pinned key ${fpr}`);
  });

  it('needs a key, trust-on-first-use or --allow-unsigned (exit 2)', async () => {
    const r = await pm(['marketplace-add', 'x', server.url, '--home', join(tmp.dir, 'nokey')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: registry x needs a key to check its index against');
  });

  it('installs an exact older version whose dependency is already installed', async () => {
    const r = await pm(['marketplace-install', 'notes@1.0.0', '--registry', 'main', '--home', user]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`installed notes@1.0.0 from main, signed by ${fpr}`);
  });
});
