import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadIndex } from '../../../../src/core/marketplace/load-index.js';
import type { RegistryConfig } from '../../../../src/core/marketplace/registries-config.js';
import { readRegistryState } from '../../../../src/core/marketplace/registry-state.js';
import { buildRegistry } from '../../../../src/core/registry/build.js';
import { homeWithKey, makeSignedPackage } from '../../../helpers/market.js';
import { tempDir } from '../../../helpers/pm.js';

const tmp = await tempDir('pm-loadindex-');
const pub = join(tmp.dir, 'pub');
const site = join(tmp.dir, 'site');
let reg: RegistryConfig;
let fpr: string;

beforeAll(async () => {
  fpr = await homeWithKey(pub);
  await makeSignedPackage(pub, join(tmp.dir, 'w'), join(tmp.dir, 'p'), 'storage', '1.0.0');
  await buildRegistry(join(tmp.dir, 'p'), { out: site, home: pub, expiresIn: '1d' });
  reg = { name: 'disk', url: site, keys: [await readFile(join(site, 'key.asc'), 'utf8')], fingerprints: [fpr], allowUnsigned: false, addedAt: '' };
});
afterAll(() => tmp.cleanup());

describe('loadIndex from a folder', () => {
  it('verifies, caches and records the trusted version, then reuses the cache while the file is unchanged', async () => {
    const home = join(tmp.dir, 'h1');
    const first = await loadIndex(home, reg);
    expect(first.from).toBe('downloaded');
    expect(await readRegistryState(home, 'disk')).toMatchObject({ version: 1, signer: fpr, plugins: 1 });
    const second = await loadIndex(home, reg);
    expect(second.from).toBe('unchanged');
    expect(second.index.version).toBe(1);
  });

  it('says there is no cache when offline before the first fetch', async () => {
    await expect(loadIndex(join(tmp.dir, 'h2'), reg, { offline: true })).rejects.toMatchObject({ code: 'INDEX_NOT_CACHED', message: 'registry disk has no cached index' });
  });

  it('warns instead of refusing when an expired cache is used offline', async () => {
    const home = join(tmp.dir, 'h3');
    await loadIndex(home, reg);
    const later = new Date(Date.now() + 3 * 86_400_000);
    const r = await loadIndex(home, reg, { offline: true, now: later });
    expect(r.from).toBe('cache');
    expect(r.warnings[0]).toMatch(/^the cached index of disk expired at /);
    await expect(loadIndex(home, reg, { now: later })).rejects.toMatchObject({ code: 'INDEX_EXPIRED', kind: 'verification' });
  });

  it('refuses the same version number with different content', async () => {
    const home = join(tmp.dir, 'h4');
    await loadIndex(home, reg);
    const copy = join(tmp.dir, 'site-copy');
    const { cp } = await import('node:fs/promises');
    await cp(site, copy, { recursive: true });
    const text = await readFile(join(copy, 'index.json'), 'utf8');
    const bytes = Buffer.from(text.replace('Key-value storage', 'Key-value st0rage'));
    const { signDetached } = await import('../../../../src/core/sign/index.js');
    await writeFile(join(copy, 'index.json'), bytes);
    await writeFile(join(copy, 'index.json.asc'), await signDetached(bytes, { home: pub }));
    const before = await readFile(join(home, 'registries', 'disk.json'), 'utf8');
    await expect(loadIndex(home, { ...reg, url: copy })).rejects.toMatchObject({ code: 'INDEX_ROLLBACK', message: 'registry disk: index version 1 was already trusted with different content' });
    expect(await readFile(join(home, 'registries', 'disk.json'), 'utf8')).toBe(before);
  });

  it('refuses a signed index that does not match the schema', async () => {
    const copy = join(tmp.dir, 'site-schema');
    const { cp } = await import('node:fs/promises');
    await cp(site, copy, { recursive: true });
    const index = JSON.parse(await readFile(join(copy, 'index.json'), 'utf8'));
    index.plugins.storage.versions['1.0.0'].size = -1;
    const bytes = Buffer.from(JSON.stringify(index));
    const { signDetached } = await import('../../../../src/core/sign/index.js');
    await writeFile(join(copy, 'index.json'), bytes);
    await writeFile(join(copy, 'index.json.asc'), await signDetached(bytes, { home: pub }));
    await expect(loadIndex(join(tmp.dir, 'h6'), { ...reg, url: copy })).rejects.toMatchObject({
      code: 'INDEX_INVALID', kind: 'verification', message: 'registry disk: index.json is not a valid index: /plugins/storage/versions/1.0.0/size must be >= 1',
    });
  });

  it('refuses an unsigned index for a registry that is not marked unsigned', async () => {
    await expect(loadIndex(join(tmp.dir, 'h5'), { ...reg, keys: [] })).rejects.toMatchObject({ code: 'INDEX_UNSIGNED', kind: 'verification' });
  });

  it('stands in with the verified cache when the folder cannot be read, saying why and how old it is', async () => {
    const home = join(tmp.dir, 'h7');
    const gone = join(tmp.dir, 'site-gone');
    const { cp, rm } = await import('node:fs/promises');
    await cp(site, gone, { recursive: true });
    await loadIndex(home, { ...reg, url: gone });
    await rm(gone, { recursive: true });
    const r = await loadIndex(home, { ...reg, url: gone }, { now: new Date(Date.now() + 3 * 3_600_000) });
    expect(r).toMatchObject({ from: 'cache', unreachable: 'folder not found', warnings: ['registry disk unreachable (folder not found); using its cache from 3 h ago'] });
    expect(r.index.plugins.storage).toBeDefined();
    // marketplace-add --replace revalidates: an old cache must never make a wrong URL look fine.
    await expect(loadIndex(home, { ...reg, url: gone }, { revalidate: true })).rejects.toMatchObject({ code: 'FETCH_NOT_FOUND' });
    // An expired cache does not stand in; the hint points at --offline, which accepts it with a warning.
    await expect(loadIndex(home, { ...reg, url: gone }, { now: new Date(Date.now() + 3 * 86_400_000) })).rejects.toMatchObject({
      code: 'FETCH_NOT_FOUND', data: expect.objectContaining({ cache: 'expired' }), hint: expect.stringMatching(/^its cached index expired at .*; --offline would use it anyway, with a warning$/),
    });
  });
});
