import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { provenanceText } from '../../src/core/sign/provenance.js';
import { pm, tempDir } from '../helpers/pm.js';
import { authorFolder } from '../helpers/sign-fixtures.js';

// Interoperability with the real GnuPG 2.2 in a temporary GNUPGHOME (.ci/run installs gnupg).
const tmp = await tempDir();
const gnupgHome = join(tmp.dir, 'gnupg');
const home = join(tmp.dir, 'pm-home');
afterAll(() => tmp.cleanup());

const gpg = (args: string[], opts: { input?: string } = {}) =>
  execa('gpg', ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', ...args], { env: { GNUPGHOME: gnupgHome }, reject: false, input: opts.input });

async function gpgFingerprint(uid: string): Promise<string> {
  const out = (await gpg(['--with-colons', '--list-keys', uid])).stdout;
  return /^fpr:+([0-9A-F]{40}):/m.exec(out)![1];
}

let tgz: string;
let packed: { name: string; version: string; size: number; integrity: string };

beforeAll(async () => {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(gnupgHome, { mode: 0o700 });
  const dist = join(tmp.dir, 'dist');
  const r = await pm(['plugin-package', await authorFolder(join(tmp.dir, 'notes')), '--out', dist, '--json', '--home', home]);
  expect(r.exitCode).toBe(0);
  packed = JSON.parse(r.stdout);
  tgz = join(dist, 'notes-1.2.0.tgz');
});

/** Clear-signs pm's provenance text for the package with a gpg key, as a publisher using GnuPG would. */
async function gpgSignProvenance(uid: string, out: string): Promise<void> {
  const text = provenanceText({ name: packed.name, version: packed.version, file: 'notes-1.2.0.tgz', size: packed.size, integrity: packed.integrity });
  const input = join(tmp.dir, `${uid}.txt`);
  await writeFile(input, text);
  const r = await gpg(['--local-user', uid, '--clearsign', '--output', out, input]);
  expect(r.exitCode, r.stderr).toBe(0);
}

async function importAndTrust(uid: string): Promise<string> {
  const keyFile = join(tmp.dir, `${uid}.pub.asc`);
  await writeFile(keyFile, (await gpg(['--export', '--armor', uid])).stdout);
  const imported = await pm(['keys-import', keyFile, '--home', home]);
  expect(imported.exitCode, imported.stderr).toBe(0);
  const fpr = await gpgFingerprint(uid);
  const trusted = await pm(['keys-trust', fpr, '--yes', '--home', home]);
  expect(trusted.exitCode, trusted.stderr).toBe(0);
  return fpr;
}

describe('GnuPG interoperability', () => {
  it('a .prov made by pm verifies with gpg --verify once pm keys-export is imported into gpg', async () => {
    expect((await pm(['keys-generate', '--name', 'Pat Pm', '--email', 'pat@example.org', '--home', home])).exitCode).toBe(0);
    const signed = await pm(['plugin-sign', tgz, '--home', home]);
    expect(signed.exitCode, signed.stderr).toBe(0);
    const exported = await pm(['keys-export', '--home', home]);
    await writeFile(join(tmp.dir, 'pat.asc'), exported.stdout);
    expect((await gpg(['--import', join(tmp.dir, 'pat.asc')])).exitCode).toBe(0);
    const v = await gpg(['--verify', `${tgz}.prov`]);
    expect(v.exitCode, v.stderr).toBe(0);
    expect(v.stderr).toContain('Good signature from "Pat Pm <pat@example.org>"');
  });

  it('gpg --verify rejects a pm .prov whose text was changed', async () => {
    const prov = join(tmp.dir, 'changed.prov');
    await writeFile(prov, (await readFile(`${tgz}.prov`, 'utf8')).replace('name: notes', 'name: other'));
    const v = await gpg(['--verify', prov]);
    expect(v.exitCode).not.toBe(0);
    expect(v.stderr).toContain('BAD signature');
  });

  it.each([
    ['Ed25519', 'gina@example.org', 'Gina Gpg <gina@example.org>', 'ed25519'],
    ['RSA-3072', 'rob@example.org', 'Rob Rsa <rob@example.org>', 'rsa3072'],
  ])('a .prov clear-signed by GnuPG with its own %s key verifies with pm after keys-import and keys-trust', async (_label, email, uid, algo) => {
    const gen = await gpg(['--quick-gen-key', uid, algo, 'sign', 'never']);
    expect(gen.exitCode, gen.stderr).toBe(0);
    const prov = join(tmp.dir, `${algo}.prov`);
    await gpgSignProvenance(email, prov);
    // Before the key is known, pm refuses it.
    const before = await pm(['plugin-verify', tgz, '--prov', prov, '--home', home]);
    expect(before.exitCode).toBe(4);
    expect(before.stderr).toContain('unknown key');
    const fpr = await importAndTrust(email);
    const r = await pm(['plugin-verify', tgz, '--prov', prov, '--home', home, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: 'notes', version: '1.2.0', signer: { fingerprint: fpr, userIds: [uid] } });
  });

  it('refuses a .prov signed with SHA-1, saying SHA-1 signatures are not accepted and how to re-sign (not "the signed text was changed")', async () => {
    const gen = await gpg(['--quick-gen-key', 'Sid Sha <sid@example.org>', 'rsa3072', 'sign', 'never']);
    expect(gen.exitCode, gen.stderr).toBe(0);
    const fpr = await importAndTrust('sid@example.org');
    const text = provenanceText({ name: packed.name, version: packed.version, file: 'notes-1.2.0.tgz', size: packed.size, integrity: packed.integrity });
    const input = join(tmp.dir, 'sha1.txt');
    await writeFile(input, text);
    const prov = join(tmp.dir, 'sha1.prov');
    const signed = await gpg(['--local-user', 'sid@example.org', '--digest-algo', 'SHA1', '--clearsign', '--output', prov, input]);
    expect(signed.exitCode, signed.stderr).toBe(0);
    expect(await readFile(prov, 'utf8')).toMatch(/^Hash: SHA1$/m);
    const r = await pm(['plugin-verify', tgz, '--prov', prov, '--home', home]);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toBe([
      'error: the provenance of notes-1.2.0.tgz is signed with a SHA-1 hash; SHA-1 signatures are not accepted because they can be forged',
      "hint: ask the publisher to sign again with 'pm plugin-sign <package>' (SHA-512); with GnuPG, add --digest-algo SHA512",
    ].join('\n'));
    const j = await pm(['plugin-verify', tgz, '--prov', prov, '--home', home, '--json']);
    expect(JSON.parse(j.stdout).error).toMatchObject({ code: 'SIGNATURE_WEAK_HASH', data: { fingerprint: fpr, hash: 'SHA-1' } });
    // The same text signed with SHA-512 by the same key verifies.
    const again = await gpg(['--local-user', 'sid@example.org', '--digest-algo', 'SHA512', '--clearsign', '--output', `${prov}.512`, input]);
    expect(again.exitCode, again.stderr).toBe(0);
    expect((await pm(['plugin-verify', tgz, '--prov', `${prov}.512`, '--home', home])).exitCode).toBe(0);
  });

  it('refuses to import a GnuPG RSA-2048 key, saying why and what to use instead', async () => {
    const gen = await gpg(['--quick-gen-key', 'Weak <weak@example.org>', 'rsa2048', 'sign', 'never']);
    expect(gen.exitCode, gen.stderr).toBe(0);
    const keyFile = join(tmp.dir, 'weak.asc');
    await writeFile(keyFile, (await gpg(['--export', '--armor', 'weak@example.org'])).stdout);
    const r = await pm(['keys-import', keyFile, '--home', home]);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('uses RSA 2048, which pm does not accept for signatures');
    expect(r.stderr).toContain('hint: use an Ed25519 key or an RSA key of at least 3072 bits');
    const list = JSON.parse((await pm(['keys-list', '--json', '--home', home])).stdout);
    expect(list.keys.map((k: { userIds: string[] }) => k.userIds[0])).not.toContain('Weak <weak@example.org>');
  });
});
