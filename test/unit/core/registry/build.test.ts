import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildRegistry } from '../../../../src/core/registry/build.js';
import { validateSite } from '../../../../src/core/registry/validate-site.js';
import type { RegistryIndex } from '../../../../src/core/index-format/types.js';
import { verifyDetached } from '../../../../src/core/sign/index.js';
import { isPmError, type PmError } from '../../../../src/core/errors.js';
import { homeWithKey, makeSignedPackage } from '../../../helpers/market.js';
import { tempDir } from '../../../helpers/pm.js';

const tmp = await tempDir('pm-regbuild-');
const home = join(tmp.dir, 'home');
const work = join(tmp.dir, 'work');
const pkgs = join(tmp.dir, 'pkgs');
let fpr: string;

beforeAll(async () => {
  fpr = await homeWithKey(home);
  await makeSignedPackage(home, work, pkgs, 'storage', '1.0.0');
  await makeSignedPackage(home, work, pkgs, 'notes', '1.0.0');
});
afterAll(() => tmp.cleanup());

async function failure(p: Promise<unknown>): Promise<PmError> {
  try { await p; } catch (e) { if (isPmError(e)) return e; throw e; }
  throw new Error('expected a PmError');
}

const readIndex = async (site: string) => JSON.parse(await readFile(join(site, 'index.json'), 'utf8')) as RegistryIndex;

describe('buildRegistry', () => {
  it('writes index.json with metadata from the manifests, copies packages and signs the exact bytes', async () => {
    const site = join(tmp.dir, 'site1');
    const now = new Date('2026-11-24T10:00:00Z');
    const r = await buildRegistry(pkgs, { out: site, home, now, baseUrl: 'https://plugins.example.org/' });
    expect(r).toMatchObject({ version: 1, plugins: 2, versions: 2, added: ['notes@1.0.0', 'storage@1.0.0'], signedBy: fpr, expires: '2026-12-24T10:00:00.000Z' });
    const index = await readIndex(site);
    expect(index.url).toBe('https://plugins.example.org/');
    expect(index.plugins.notes).toMatchObject({ description: "Keep notes in the plugin's data folder", author: 'Ada <ada@example.org>', latest: '1.0.0', tags: ['notes', 'journal'], categories: ['workflow'] });
    expect(index.plugins.notes.versions['1.0.0']).toMatchObject({
      url: 'packages/notes/notes-1.0.0.tgz', provenance: 'packages/notes/notes-1.0.0.tgz.prov', signer: fpr,
      dependencies: { storage: '^1.0.0' }, engines: { pm: '^1.0.0', node: '>=20' }, tools: ['add'], deprecated: null,
    });
    expect(index.keys?.[fpr]).toMatch(/BEGIN PGP PUBLIC KEY BLOCK/);
    expect((await readdir(join(site, 'packages', 'storage'))).sort()).toEqual(['storage-1.0.0.tgz', 'storage-1.0.0.tgz.prov']);
    const bytes = await readFile(join(site, 'index.json'));
    const key = await readFile(join(site, 'key.asc'), 'utf8');
    expect((await verifyDetached(bytes, await readFile(join(site, 'index.json.asc'), 'utf8'), [key])).fingerprint).toBe(fpr);
    const report = await validateSite(site, { home, now });
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, signature: 'valid', versions: 2 });
  });

  it('with claudeMarketplace also writes a Claude Code marketplace beside a site that still validates', async () => {
    const site = join(tmp.dir, 'site-claude');
    const r = await buildRegistry(pkgs, { out: site, home, claudeMarketplace: true });
    expect(r.claudeFiles).toContain('.claude-plugin/marketplace.json');
    const market = JSON.parse(await readFile(join(site, '.claude-plugin', 'marketplace.json'), 'utf8'));
    expect(market.plugins.map((p: { name: string; source: string }) => `${p.name} ${p.source}`)).toEqual(['notes ./claude-plugins/notes', 'storage ./claude-plugins/storage']);
    expect((await validateSite(site, { home })).problems).toEqual([]);
  });

  it('keeps earlier versions on a rebuild, moves latest and increases version by one', async () => {
    const site = join(tmp.dir, 'site2');
    await buildRegistry(pkgs, { out: site, home });
    const before = await readFile(join(site, 'index.json'), 'utf8');
    const more = join(tmp.dir, 'more');
    await makeSignedPackage(home, work, more, 'notes', '1.1.0', { description: 'Keep notes, now faster' });
    const r = await buildRegistry(more, { out: site, home });
    expect(r).toMatchObject({ version: 2, added: ['notes@1.1.0'], plugins: 2, versions: 3 });
    const index = await readIndex(site);
    expect(Object.keys(index.plugins.notes.versions)).toEqual(['1.0.0', '1.1.0']);
    expect(index.plugins.notes.latest).toBe('1.1.0');
    expect(index.plugins.notes.description).toBe('Keep notes, now faster');
    const prevFile = join(tmp.dir, 'prev.json');
    await writeFile(prevFile, before);
    expect((await validateSite(site, { home, previous: prevFile })).ok).toBe(true);
  });

  it('refuses to republish a version with different bytes and leaves the site as it was', async () => {
    const site = join(tmp.dir, 'site3');
    await buildRegistry(pkgs, { out: site, home });
    const before = await readFile(join(site, 'index.json'), 'utf8');
    const other = join(tmp.dir, 'other');
    await makeSignedPackage(home, work, other, 'notes', '1.0.0', { description: 'changed after publishing' });
    const e = await failure(buildRegistry(other, { out: site, home }));
    expect(e.code).toBe('REGISTRY_VERSION_IMMUTABLE');
    expect(e.exitCode).toBe(3);
    expect(e.message).toBe('notes@1.0.0 is already published with different content');
    expect(await readFile(join(site, 'index.json'), 'utf8')).toBe(before);
  });

  it('refuses a package without provenance unless told otherwise', async () => {
    const lone = join(tmp.dir, 'lone');
    const { tgz } = await makeSignedPackage(home, work, lone, 'storage', '9.0.0', {}, { unsigned: true });
    const e = await failure(buildRegistry(lone, { out: join(tmp.dir, 'site4'), home }));
    expect(e.code).toBe('PACKAGE_UNSIGNED');
    expect(e.message).toBe(`${tgz} has no .prov beside it`);
    const r = await buildRegistry(lone, { out: join(tmp.dir, 'site4'), home, allowUnsignedPackages: true, unsigned: true });
    expect(r.signedBy).toBeNull();
    const index = await readIndex(join(tmp.dir, 'site4'));
    expect(index.plugins.storage.versions['9.0.0']).toMatchObject({ signer: null, provenance: null });
  });

  it('refuses a package whose provenance does not match and writes nothing', async () => {
    const bad = join(tmp.dir, 'bad');
    await makeSignedPackage(home, work, bad, 'storage', '2.0.0');
    const { tgz: other } = await makeSignedPackage(home, work, join(tmp.dir, 'bad2'), 'storage', '2.0.0', { description: 'x' }, { unsigned: true });
    await rm(join(bad, 'storage-2.0.0.tgz'));
    await writeFile(join(bad, 'storage-2.0.0.tgz'), await readFile(other));
    const site = join(tmp.dir, 'site5');
    const e = await failure(buildRegistry(bad, { out: site, home }));
    expect(e.exitCode).toBe(4);
    expect(e.code).toBe('TARBALL_CHANGED');
    expect(e.message).toMatch(/^storage-2\.0\.0\.tgz has changed since it was signed/);
    await expect(readdir(site)).rejects.toThrow();
  });

  it('reports a tampered package, a missing file and a changed version in registry-validate', async () => {
    const site = join(tmp.dir, 'site6');
    await buildRegistry(pkgs, { out: site, home });
    const prev = join(tmp.dir, 'prev6.json');
    const index = await readIndex(site);
    index.plugins.storage.versions['1.0.0'].integrity = 'sha512-' + 'A'.repeat(86) + '==';
    await writeFile(prev, JSON.stringify({ ...index, version: 5 }));
    const tgz = join(site, 'packages', 'notes', 'notes-1.0.0.tgz');
    const bytes = await readFile(tgz);
    bytes[bytes.length - 1] ^= 1;
    await writeFile(tgz, bytes);
    await rm(join(site, 'packages', 'storage', 'storage-1.0.0.tgz'));
    const r = await validateSite(site, { home, previous: prev });
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => `${p.code} ${p.where}`).sort()).toEqual([
      'PACKAGE_INTEGRITY notes@1.0.0', 'PACKAGE_MISSING storage@1.0.0', 'VERSION_CHANGED storage@1.0.0', 'VERSION_NOT_INCREASED index',
    ]);
  });

  it('reports an index changed after signing', async () => {
    const site = join(tmp.dir, 'site7');
    await buildRegistry(pkgs, { out: site, home });
    const text = await readFile(join(site, 'index.json'), 'utf8');
    await writeFile(join(site, 'index.json'), text.replace('Keep notes', 'Keep n0tes'));
    const r = await validateSite(site, { home });
    expect(r.signature).toBe('invalid');
    expect(r.problems[0].code).toBe('INDEX_SIGNATURE_INVALID');
  });
});
