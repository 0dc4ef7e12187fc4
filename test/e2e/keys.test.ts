import { afterAll, describe, expect, it } from 'vitest';
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pm, tempDir } from '../helpers/pm.js';
import { authorFolder } from '../helpers/sign-fixtures.js';

const tmp = await tempDir();
afterAll(() => tmp.cleanup());

describe('pm keys-*', () => {
  const home = join(tmp.dir, 'home');

  it('keys-generate makes an Ed25519 key with a 0600 secret file, and the first key becomes the default', async () => {
    const r = await pm(['keys-generate', '--name', 'Ada', '--email', 'ada@example.org', '--json', '--home', home]);
    expect(r.exitCode, r.stderr).toBe(0);
    const key = JSON.parse(r.stdout);
    expect(key).toMatchObject({ algorithm: 'Ed25519', userIds: ['Ada <ada@example.org>'], own: true, trusted: true, default: true, expires: null });
    expect(key.fingerprint).toMatch(/^[0-9A-F]{40}$/);
    expect((await stat(join(home, 'keys', 'secret', `${key.fingerprint}.asc`))).mode & 0o777).toBe(0o600);
    const second = JSON.parse((await pm(['keys-generate', '--name', 'Second', '--json', '--home', home])).stdout);
    expect(second.default).toBe(false);
    const list = JSON.parse((await pm(['keys-list', '--json', '--home', home])).stdout);
    expect(list.keys.find((k: { default: boolean }) => k.default).fingerprint).toBe(key.fingerprint);
  });

  it('keys-list shows full fingerprints, user IDs, creation and expiry', async () => {
    const r = await pm(['keys-list', '--home', home]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^([0-9A-F]{4} ){9}[0-9A-F]{4} {2}\[own, default\]$/m);
    expect(r.stdout).toContain('  Ada <ada@example.org>');
    expect(r.stdout).toMatch(/Ed25519, created \d{4}-\d\d-\d\d, does not expire/);
  });

  it('keys-import adds a public key untrusted; keys-trust without a terminal needs --yes (exit 2), then trusts it', async () => {
    const other = join(tmp.dir, 'other');
    const gen = JSON.parse((await pm(['keys-generate', '--name', 'Bob', '--json', '--home', other])).stdout);
    const exported = await pm(['keys-export', '--home', other]);
    expect(exported.stdout).toMatch(/^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
    expect(exported.stdout).not.toContain('PRIVATE');
    await writeFile(join(tmp.dir, 'bob.asc'), exported.stdout);
    const imp = await pm(['keys-import', join(tmp.dir, 'bob.asc'), '--home', home]);
    expect(imp.exitCode, imp.stderr).toBe(0);
    expect(imp.stdout).toContain('[imported, not trusted]');
    expect(imp.stdout).toContain(`pm keys-trust ${gen.fingerprint}`);

    const noYes = await pm(['keys-trust', gen.fingerprint, '--home', home]);
    expect(noYes.exitCode).toBe(2);
    expect(noYes.stderr).toContain('error: keys-trust needs confirmation');
    expect(noYes.stderr).toContain('--yes');
    const still = JSON.parse((await pm(['keys-list', '--json', '--home', home])).stdout).keys.find((k: { fingerprint: string }) => k.fingerprint === gen.fingerprint);
    expect(still.trusted).toBe(false);

    const yes = await pm(['keys-trust', gen.fingerprint.slice(-16).toLowerCase(), '--yes', '--home', home]);
    expect(yes.exitCode, yes.stderr).toBe(0);
    expect(yes.stdout).toContain(gen.fingerprint.replace(/(.{4})/g, '$1 ').trim());
    expect(yes.stdout).toContain('Bob');
    expect(yes.stdout).toContain('[trusted]');
  });

  it('keys-import refuses a secret key with exit 2 and writes nothing', async () => {
    const secretHome = join(tmp.dir, 'secret-home');
    await pm(['keys-generate', '--name', 'S', '--home', secretHome]);
    const [file] = await readdir(join(secretHome, 'keys', 'secret'));
    const target = join(tmp.dir, 'target');
    const r = await pm(['keys-import', join(secretHome, 'keys', 'secret', file), '--home', target]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('this file holds a secret key; pm imports public keys only');
    expect(await readdir(join(target, 'keys', 'public')).catch(() => [])).toEqual([]);
  });

  it('keys-import refuses a file that is not a key with exit 2', async () => {
    await writeFile(join(tmp.dir, 'junk.asc'), 'hello\n');
    const r = await pm(['keys-import', join(tmp.dir, 'junk.asc'), '--home', home]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('not an armored OpenPGP public key');
  });

  it('keys-trust of an unknown fingerprint fails with exit 1 and a hint', async () => {
    const r = await pm(['keys-trust', 'AAAABBBBCCCCDDDDEEEEFFFF0000111122223333', '--yes', '--home', home]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('error: no key AAAABBBBCCCCDDDDEEEEFFFF0000111122223333');
    expect(r.stderr).toContain("hint: run 'pm keys-list'");
  });

  it('keys-trust refuses something that is not a fingerprint with exit 2', async () => {
    const r = await pm(['keys-trust', 'bob', '--yes', '--home', home]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('"bob" is not a key fingerprint');
  });

  it('a passphrase-protected key signs only with --passphrase-file, and refuses a wrong one', async () => {
    const h = join(tmp.dir, 'pp');
    await writeFile(join(tmp.dir, 'pass.txt'), 'correct horse\n');
    await writeFile(join(tmp.dir, 'wrong.txt'), 'wrong\n');
    expect((await pm(['keys-generate', '--name', 'P', '--passphrase-file', join(tmp.dir, 'pass.txt'), '--home', h])).exitCode).toBe(0);
    const r = await pm(['plugin-package', await authorFolder(join(tmp.dir, 'pp-notes')), '--out', tmp.dir, '--json']);
    const tgz = JSON.parse(r.stdout).file;
    const none = await pm(['plugin-sign', tgz, '--home', h]);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('is protected by a passphrase');
    expect(none.stderr).toContain('--passphrase-file');
    const wrong = await pm(['plugin-sign', tgz, '--passphrase-file', join(tmp.dir, 'wrong.txt'), '--home', h]);
    expect(wrong.exitCode).toBe(1);
    expect(wrong.stderr).toContain('the passphrase does not unlock key');
    await expect(stat(`${tgz}.prov`)).rejects.toMatchObject({ code: 'ENOENT' });
    const ok = await pm(['plugin-sign', tgz, '--passphrase-file', join(tmp.dir, 'pass.txt'), '--home', h]);
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect((await pm(['plugin-verify', tgz, '--home', h])).exitCode).toBe(0);
  });

  it('plugin-sign without any key fails with a hint to run keys-generate', async () => {
    const r = await pm(['plugin-package', await authorFolder(join(tmp.dir, 'nokey')), '--out', join(tmp.dir, 'nokey-out'), '--json']);
    const s = await pm(['plugin-sign', JSON.parse(r.stdout).file, '--home', join(tmp.dir, 'empty')]);
    expect(s.exitCode).toBe(1);
    expect(s.stderr).toContain("hint: make one with 'pm keys-generate'");
  });
});
