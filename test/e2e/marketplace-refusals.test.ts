import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildRegistry } from '../../src/core/registry/build.js';
import { homeWithKey, makeSignedPackage } from '../helpers/market.js';
import { pm, tempDir } from '../helpers/pm.js';

// Refusals of the marketplace and registry commands that are not attacks: each shows its
// message, its exit code and that nothing changed.
const tmp = await tempDir('pm-market-refusals-');
const pub = join(tmp.dir, 'publisher');
const site = join(tmp.dir, 'site');
const work = join(tmp.dir, 'work');
const user = join(tmp.dir, 'user');
const json = (s: string) => JSON.parse(s);

beforeAll(async () => {
  await homeWithKey(pub);
  const p = join(tmp.dir, 'p1');
  await makeSignedPackage(pub, work, p, 'storage', '1.0.0');
  await makeSignedPackage(pub, work, p, 'notes', '1.0.0');
  await buildRegistry(p, { out: site, home: pub, name: 'main' });
  expect((await pm(['marketplace-add', 'main', site, '--key', join(site, 'key.asc'), '--home', user])).exitCode).toBe(0);
  expect((await pm(['marketplace-install', 'notes', '--home', user])).exitCode).toBe(0);
});
afterAll(() => tmp.cleanup());

const stateOf = () => readFile(join(user, 'state.json'), 'utf8');

describe('marketplace refusals', () => {
  it('refuses a registry name already in use without --replace (exit 2)', async () => {
    const before = await readFile(join(user, 'config.json'), 'utf8');
    const r = await pm(['marketplace-add', 'main', tmp.dir, '--allow-unsigned', '--home', user]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`error: a registry named main already exists (${site})`);
    expect(r.stderr).toContain('hint: pick another name, or pass --replace');
    expect(await readFile(join(user, 'config.json'), 'utf8')).toBe(before);
  });

  it('refuses to remove an unknown registry and names the configured ones', async () => {
    const r = await pm(['marketplace-remove', 'nope', '--home', user]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('error: no registry named nope');
    expect(r.stderr).toContain('hint: configured: main');
  });

  it('says which plugin is missing and who needed it', async () => {
    const before = await stateOf();
    const r = await pm(['marketplace-install', 'ghost', '--home', user]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('error: plugin ghost is not in any configured registry (needed by user)');
    expect(await stateOf()).toBe(before);
  });

  it('refuses a range no version matches', async () => {
    const r = await pm(['marketplace-install', 'storage@^9', '--json', '--home', user]);
    expect(r.exitCode).toBe(1);
    expect(json(r.stdout).error).toMatchObject({ code: 'RESOLVE_NOT_FOUND', message: 'no version of storage matches ^9 (needed by user)' });
  });

  it('refuses --version with more than one plugin, exit 2, installing nothing', async () => {
    const r = await pm(['marketplace-install', 'notes', 'storage', '--version', '1.0.0', '--home', user]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: --version takes exactly one plugin name without @');
    expect(r.stderr).toContain('hint: write name@version for each plugin instead');
  });

  it('refuses a bad spec as a usage error', async () => {
    const r = await pm(['marketplace-install', 'notes@not a range!', '--home', user]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: "not a range!" is not a semver range');
  });

  it('refuses to update a plugin that did not come from a registry', async () => {
    const r = await pm(['marketplace-update', 'ghost', '--home', user]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('error: plugin ghost is not installed');
  });

  it('refuses an unsigned package from a registry unless --allow-unsigned', async () => {
    const loose = join(tmp.dir, 'loose');
    await makeSignedPackage(pub, work, loose, 'storage', '7.0.0', {}, { unsigned: true });
    const usite = join(tmp.dir, 'unsigned-site');
    await buildRegistry(loose, { out: usite, home: pub, unsigned: true, allowUnsignedPackages: true });
    const home = join(tmp.dir, 'unsigned-user');
    expect((await pm(['marketplace-add', 'loose', usite, '--allow-unsigned', '--home', home])).exitCode).toBe(0);
    const r = await pm(['marketplace-install', 'storage', '--home', home]);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('error: storage@7.0.0 in registry loose is not signed');
    await expect(readdir(join(home, 'plugins'))).rejects.toThrow();
    const ok = await pm(['marketplace-install', 'storage', '--allow-unsigned', '--home', home]);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toContain('installed storage@7.0.0 from loose, signed by nobody (unsigned)');
  });

  it('keeps updating the others when one update fails, and reports "Updated N of M"', async () => {
    const p = join(tmp.dir, 'p2');
    await makeSignedPackage(pub, work, p, 'storage', '1.2.0');
    await makeSignedPackage(pub, work, p, 'notes', '1.2.0');
    await buildRegistry(p, { out: site, home: pub });
    // Damage one new package on the server after the index was signed.
    const tgz = join(site, 'packages', 'storage', 'storage-1.2.0.tgz');
    const bytes = await readFile(tgz);
    bytes[bytes.length - 30] ^= 0xff;
    await writeFile(tgz, bytes);
    const r = await pm(['marketplace-update-all', '--home', user]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('updated notes 1.0.0 -> 1.2.0');
    expect(r.stdout).toContain('failed storage: storage@1.2.0 from main does not match the integrity in the signed index');
    expect(r.stdout).toContain('Updated 1 of 2');
    const state = json(await stateOf());
    expect([state.plugins.notes.version, state.plugins.storage.version]).toEqual(['1.2.0', '1.0.0']);
  });
});

describe('registry refusals', () => {
  it('refuses an empty packages folder (exit 2) and writes no site', async () => {
    const empty = join(tmp.dir, 'empty');
    await mkdir(empty);
    const r = await pm(['registry-build', empty, '--out', join(tmp.dir, 'nosite'), '--home', pub]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`error: no .tgz packages in ${empty}`);
    await expect(readdir(join(tmp.dir, 'nosite'))).rejects.toThrow();
  });

  it('refuses to build without a signing key unless --unsigned', async () => {
    const r = await pm(['registry-build', join(tmp.dir, 'p1'), '--out', join(tmp.dir, 'nokey-site'), '--home', join(tmp.dir, 'keyless')]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('error: no key to sign the index with in');
    await expect(readdir(join(tmp.dir, 'nokey-site'))).rejects.toThrow();
  });

  it('refuses a bad --expires-in as a usage error', async () => {
    const r = await pm(['registry-build', join(tmp.dir, 'p1'), '--out', join(tmp.dir, 'x'), '--expires-in', 'soon', '--home', pub]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: "soon" is not a duration');
  });

  it('reports a damaged site with exit 3 and a list of problems', async () => {
    const r = await pm(['registry-validate', site, '--json', '--home', pub]);
    expect(r.exitCode).toBe(3);
    const report = json(r.stdout);
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([{ code: 'PACKAGE_INTEGRITY', where: 'storage@1.2.0', message: 'packages/storage/storage-1.2.0.tgz does not match its integrity in the index' }]);
  });
});
