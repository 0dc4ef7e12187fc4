import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { homeWithKey, makeSignedPackage, serveStatic } from '../helpers/market.js';
import { pm, tempDir } from '../helpers/pm.js';

// The whole story a new user goes through, against a site built by `pm registry-build` and
// served by a real HTTP server on 127.0.0.1, and the same site read from disk.
const tmp = await tempDir('pm-market-e2e-');
const pub = join(tmp.dir, 'publisher');
const user = join(tmp.dir, 'user');
const site = join(tmp.dir, 'site');
const work = join(tmp.dir, 'work');
let server: Awaited<ReturnType<typeof serveStatic>>;
let fpr: string;

beforeAll(async () => {
  fpr = await homeWithKey(pub);
  const v1 = join(tmp.dir, 'pkgs-v1');
  await makeSignedPackage(pub, work, v1, 'storage', '1.0.0');
  await makeSignedPackage(pub, work, v1, 'notes', '1.0.0');
  const r = await pm(['registry-build', v1, '--out', site, '--home', pub, '--name', 'main']);
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
  expect(r.stdout).toContain('built registry main version 1');
  server = await serveStatic(site);
});
afterAll(async () => {
  await server?.close();
  await tmp.cleanup();
});

const json = (s: string) => JSON.parse(s);

describe('marketplace story over HTTP', () => {
  it('adds the registry with its pinned key', async () => {
    const r = await pm(['marketplace-add', 'main', server.url, '--key', join(site, 'key.asc'), '--home', user]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`added registry main (${server.url}): index version 1, 2 plugins`);
    expect(r.stdout).toContain(`pinned key ${fpr}`);
    const list = json((await pm(['marketplace-list', '--json', '--home', user])).stdout);
    expect(list.registries[0]).toMatchObject({ name: 'main', url: server.url, keys: [fpr], indexVersion: 1, plugins: 2 });
  });

  it('searches with the exact name first', async () => {
    const r = await pm(['marketplace-search', 'notes', '--json', '--home', user]);
    expect(r.exitCode).toBe(0);
    const out = json(r.stdout);
    expect(out.results.map((h: { name: string }) => h.name)).toEqual(['notes']);
    expect((await pm(['marketplace-search', 'put', '--home', user])).stdout).toContain('storage@1.0.0  [main]  Key-value storage for other plugins');
  });

  it('asks for an unchanged index with a conditional request and nothing more', async () => {
    server.requests.length = 0;
    const r = await pm(['marketplace-search', 'kv', '--home', user]);
    expect(r.exitCode).toBe(0);
    expect(server.requests).toEqual(['GET /index.json conditional']);
  });

  it('shows versions, signer, dependencies, engines, tools and permissions', async () => {
    const info = json((await pm(['marketplace-info', 'notes', '--json', '--home', user])).stdout);
    expect(info).toMatchObject({ name: 'notes', registry: 'main', latest: '1.0.0', signer: fpr, dependencies: { storage: '^1.0.0' }, engines: { pm: '^1.0.0', node: '>=20' }, tools: ['add'] });
    expect(info.permissions).toEqual({ fs: { read: ['$DATA'], write: ['$DATA'] } });
  });

  it('answers a misspelt marketplace-info with the closest listed name (exit 1, nothing cached changes)', async () => {
    const r = await pm(['marketplace-info', 'note', '--home', user]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error: plugin note is not in any configured registry');
    expect(r.stderr).toContain('hint: did you mean notes? pm marketplace-info notes');
    const far = await pm(['marketplace-info', 'zzzz', '--home', user]);
    expect(far.stderr).toContain("hint: search for it with 'pm marketplace-search zzzz'");
  });

  it('installs a plugin with its dependency, verified, in one change', async () => {
    const r = await pm(['marketplace-install', 'notes', '--home', user]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`installed notes@1.0.0 from main, signed by ${fpr}`);
    expect(r.stdout).toContain(`installed storage@1.0.0 from main (dependency of notes@1.0.0), signed by ${fpr}`);
    const state = json(await readFile(join(user, 'state.json'), 'utf8'));
    expect(state.plugins.notes).toMatchObject({ version: '1.0.0', source: { type: 'marketplace', marketplace: 'main' }, signer: { fingerprint: fpr } });
    expect(state.plugins.storage.version).toBe('1.0.0');
  });

  it('finds and applies updates after the publisher ships new versions', async () => {
    const v2 = join(tmp.dir, 'pkgs-v2');
    await makeSignedPackage(pub, work, v2, 'storage', '1.1.0');
    await makeSignedPackage(pub, work, v2, 'notes', '1.1.0', { dependencies: { storage: '^1.1.0' } });
    await makeSignedPackage(pub, work, v2, 'notes', '2.0.0', { engines: { pm: '^2.0.0' } });
    const b = await pm(['registry-build', v2, '--out', site, '--home', pub]);
    expect(b.stdout).toContain('built registry main version 2');

    const check = json((await pm(['marketplace-check-updates', '--json', '--home', user])).stdout);
    expect(check.plugins).toEqual([
      { name: 'notes', registry: 'main', installed: '1.0.0', latestCompatible: '1.1.0', latest: '2.0.0', updateAvailable: true },
      { name: 'storage', registry: 'main', installed: '1.0.0', latestCompatible: '1.1.0', latest: '1.1.0', updateAvailable: true },
    ]);
    const dry = await pm(['marketplace-update-all', '--dry-run', '--home', user]);
    expect(dry.stdout).toContain('would update notes 1.0.0 -> 1.1.0');

    const r = await pm(['marketplace-update-all', '--home', user]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('updated notes 1.0.0 -> 1.1.0\nupdated storage 1.0.0 -> 1.1.0 (with notes)\nUpdated 2 of 2');
    const state = json(await readFile(join(user, 'state.json'), 'utf8'));
    expect([state.plugins.notes.version, state.plugins.storage.version]).toEqual(['1.1.0', '1.1.0']);
    expect((await pm(['marketplace-update', 'notes', '--home', user])).stdout).toBe('notes 1.1.0 is up to date');
  });

  it('works offline from the cache and says how old it is', async () => {
    server.requests.length = 0;
    const r = await pm(['marketplace-search', 'notes', '--offline', '--home', user]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('notes@2.0.0  [main]');
    expect(r.stderr).toMatch(/^using the cached index of main, fetched \d+ s ago$/m);
    expect(server.requests).toEqual([]);
  });
});

describe('the same site read from disk', () => {
  const home = join(tmp.dir, 'disk-user');
  it('adds, searches and installs from a folder', async () => {
    const copy = join(tmp.dir, 'site-copy');
    await cp(site, copy, { recursive: true });
    const add = await pm(['marketplace-add', 'local', copy, '--key', join(copy, 'key.asc'), '--home', home]);
    expect(add.exitCode).toBe(0);
    expect(add.stdout).toContain('index version 2, 2 plugins');
    const s = json((await pm(['marketplace-search', '', '--tag', 'kv', '--json', '--home', home])).stdout);
    expect(s.results.map((h: { name: string }) => h.name)).toEqual(['storage']);
    const r = await pm(['marketplace-install', 'notes', '--version', '~1.0.0', '--home', home]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('installed notes@1.0.0 from local');
    expect(r.stdout).toContain('installed storage@1.1.0 from local (dependency of notes@1.0.0)');
    expect((await readdir(join(home, 'plugins'))).sort()).toEqual(['notes', 'storage']);
  });

  it('lists the plugins of one category and says when a plugin is already installed', async () => {
    const l = json((await pm(['marketplace-list', '--category', 'workflow', '--json', '--home', home])).stdout);
    expect(l.plugins.map((h: { name: string }) => h.name)).toEqual(['notes']);
    const again = await pm(['marketplace-install', 'storage', '--home', home]);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toBe('storage@1.1.0 is already installed');
  });
});

describe('rotating the registry key', () => {
  it('refuses an index signed with a new key until the user re-pins it, keeping the trusted version', async () => {
    const home = join(tmp.dir, 'rotation-user');
    const rsite = join(tmp.dir, 'site-rotation');
    await cp(site, rsite, { recursive: true });
    const oldKey = await readFile(join(rsite, 'key.asc'), 'utf8');
    expect((await pm(['marketplace-add', 'main', rsite, '--key', join(rsite, 'key.asc'), '--home', home])).exitCode).toBe(0);

    const { openKeyring } = await import('../../src/core/sign/index.js');
    const next = await openKeyring(pub).generate({ name: 'Registry 2027' });
    const b = await pm(['registry-build', join(tmp.dir, 'pkgs-v1'), '--out', rsite, '--sign-key', next.fingerprint, '--home', pub]);
    expect(b.stdout).toContain(`index signed by ${next.fingerprint}`);

    const refused = await pm(['marketplace-search', 'notes', '--home', home]);
    expect(refused.exitCode).toBe(4);
    expect(refused.stderr).toContain(`error: registry main: the signature of index.json does not verify with the pinned key ${fpr}`);

    const both = join(tmp.dir, 'both.asc');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(both, oldKey + (await readFile(join(rsite, 'key.asc'), 'utf8')));
    const r = await pm(['marketplace-add', 'main', rsite, '--key', both, '--replace', '--home', home]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`pinned key ${fpr}, ${next.fingerprint}`);
    expect(json(await readFile(join(home, 'registries', 'main.json'), 'utf8')).version).toBe(3);
  });
});
