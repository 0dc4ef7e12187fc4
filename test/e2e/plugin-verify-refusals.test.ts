import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { openKeyring } from '../../src/core/sign/keyring.js';
import { signPackage, signProvenance } from '../../src/core/sign/sign-package.js';
import { provenanceText } from '../../src/core/sign/provenance.js';
import { packPlugin } from '../../src/core/pack/pack-plugin.js';
import { integrityOfFile } from '../../src/core/pack/integrity.js';
import { pm, tempDir } from '../helpers/pm.js';
import { authorFolder } from '../helpers/sign-fixtures.js';

// Every refusal of `pm plugin-verify` with real keys and really tampered files, through the real bin.
const tmp = await tempDir();
const publisher = join(tmp.dir, 'publisher');
const consumer = join(tmp.dir, 'consumer');
let tgz: string;
let size: number;
let integrity: string;
afterAll(() => tmp.cleanup());

beforeAll(async () => {
  const key = await openKeyring(publisher).generate({ name: 'Ada Publisher', email: 'ada@example.org' });
  await openKeyring(consumer).import(await openKeyring(publisher).exportPublic());
  await openKeyring(consumer).trust(key.fingerprint);
  const r = await packPlugin(await authorFolder(join(tmp.dir, 'notes')), { outDir: join(tmp.dir, 'dist') });
  await signPackage(r.file, { home: publisher });
  ({ file: tgz, size, integrity } = r);
});

/** Copies the signed package into a fresh folder for one test to tamper with. */
async function copyPackage(name: string, file = 'notes-1.2.0.tgz'): Promise<{ tgz: string; prov: string }> {
  const dir = join(tmp.dir, name);
  await mkdir(dir, { recursive: true });
  await copyFile(tgz, join(dir, file));
  await copyFile(`${tgz}.prov`, join(dir, `${file}.prov`));
  return { tgz: join(dir, file), prov: join(dir, `${file}.prov`) };
}

async function verify(file: string, home = consumer, extra: string[] = []) {
  const before = await readFile(file);
  const r = await pm(['plugin-verify', file, '--home', home, ...extra]);
  // Verification never changes the package.
  expect((await readFile(file)).equals(before)).toBe(true);
  return r;
}

describe('pm plugin-verify', () => {
  it('accepts an untouched signed package and names the signer', async () => {
    const p = await copyPackage('good');
    const r = await verify(p.tgz);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('verified notes@1.2.0');
    expect(r.stdout).toContain('Ada Publisher <ada@example.org>');
    const json = JSON.parse((await pm(['plugin-verify', p.tgz, '--home', consumer, '--json'])).stdout);
    expect(json).toMatchObject({ name: 'notes', version: '1.2.0', size, integrity, signer: { userIds: ['Ada Publisher <ada@example.org>'] } });
  });

  it('refuses a package without provenance (signature missing), exit 4', async () => {
    const p = await copyPackage('missing');
    await rm(p.prov);
    const r = await verify(p.tgz);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain(`error: notes-1.2.0.tgz is not signed: ${p.prov} does not exist`);
    expect(r.stderr).toContain('hint:');
  });

  it('refuses provenance that is not clear-signed OpenPGP (malformed), exit 4', async () => {
    const p = await copyPackage('malformed');
    await writeFile(p.prov, 'name: notes\nversion: 1.2.0\n');
    const r = await verify(p.tgz);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('is not an OpenPGP clear-signed provenance file');
  });

  it('refuses provenance whose signed text was edited (bad signature), exit 4', async () => {
    const p = await copyPackage('bad');
    const text = await readFile(p.prov, 'utf8');
    await writeFile(p.prov, text.replace('version: 1.2.0', 'version: 1.2.1'));
    const r = await verify(p.tgz);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('has a bad signature: the signed text was changed after signing');
  });

  it('refuses a signature by a key the consumer has never seen (unknown key), exit 4', async () => {
    const p = await copyPackage('unknown');
    const r = await verify(p.tgz, join(tmp.dir, 'empty-home'));
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toMatch(/is signed by an unknown key \(key ID [0-9A-F]{16}\)/);
    expect(r.stderr).toContain("pm keys-import <file>' and 'pm keys-trust <fingerprint>'");
  });

  it('refuses a signature by an imported key that is not trusted, exit 4', async () => {
    const home = join(tmp.dir, 'untrusting');
    const [info] = await openKeyring(home).import(await openKeyring(publisher).exportPublic());
    const p = await copyPackage('untrusted');
    const r = await verify(p.tgz, home);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('which you imported but do not trust');
    expect(r.stderr).toContain(`pm keys-trust ${info.fingerprint}`);
  });

  it('refuses a signature by a key that has since expired, exit 4', async () => {
    const home = join(tmp.dir, 'expired-home');
    const made = new Date(Date.now() - 10 * 86400_000);
    const { privateKey, publicKey } = await openpgp.generateKey({ type: 'ecc', curve: 'ed25519Legacy', userIDs: [{ name: 'Old Key' }], date: made, keyExpirationTime: 86400, format: 'object' });
    await openKeyring(home).import(publicKey.armor());
    await openKeyring(home).trust(publicKey.getFingerprint());
    const p = await copyPackage('expired');
    const message = await openpgp.createCleartextMessage({ text: provenanceText({ name: 'notes', version: '1.2.0', file: 'notes-1.2.0.tgz', size, integrity }) });
    await writeFile(p.prov, await openpgp.sign({ message, signingKeys: privateKey, date: new Date(made.getTime() + 3600_000) }));
    const r = await verify(p.tgz, home);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toMatch(/is signed by key .* \(Old Key\), which expired on \d{4}-/);
  });

  it('refuses a signature by a key that was revoked after signing, exit 4', async () => {
    const signerHome = join(tmp.dir, 'revoker');
    const home = join(tmp.dir, 'revoked-home');
    const key = await openKeyring(signerHome).generate({ name: 'Revoked Rita' });
    await openKeyring(home).import(await openKeyring(signerHome).exportPublic());
    await openKeyring(home).trust(key.fingerprint);
    const p = await copyPackage('revoked');
    await signPackage(p.tgz, { home: signerHome });
    expect((await verify(p.tgz, home)).exitCode).toBe(0);
    const secret = await openpgp.readPrivateKey({ armoredKey: await readFile(join(signerHome, 'keys', 'secret', `${key.fingerprint}.asc`), 'utf8') });
    const { publicKey: revoked } = await openpgp.revokeKey({ key: secret, format: 'armored' });
    await openKeyring(home).import(revoked);
    const r = await verify(p.tgz, home);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('which has been revoked');
  });

  it('refuses a tarball with one byte changed (tarball bytes changed), exit 4', async () => {
    const p = await copyPackage('tampered');
    const bytes = await readFile(p.tgz);
    bytes[bytes.length - 30] ^= 0xff;
    await writeFile(p.tgz, bytes);
    const r = await verify(p.tgz);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('error: notes-1.2.0.tgz has changed since it was signed: its sha512 integrity differs from the provenance');
  });

  it('refuses a tarball that grew (size differs), exit 4', async () => {
    const p = await copyPackage('grown');
    await writeFile(p.tgz, Buffer.concat([await readFile(p.tgz), Buffer.from([0])]));
    const r = await verify(p.tgz);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain(`has changed since it was signed: ${size + 1} bytes, the provenance says ${size}`);
  });

  it('refuses provenance written for another file, exit 4', async () => {
    const p = await copyPackage('other-file', 'notes-1.3.0.tgz');
    const r = await verify(p.tgz);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('was written for notes-1.2.0.tgz, not for notes-1.3.0.tgz');
  });

  it('refuses a package whose manifest name differs from the signed name, exit 4', async () => {
    const p = await copyPackage('name');
    const { text } = await signProvenance({ name: 'todo', version: '1.2.0', file: 'notes-1.2.0.tgz', size, integrity: await integrityOfFile(p.tgz) }, { home: publisher });
    await writeFile(p.prov, text);
    const r = await verify(p.tgz);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('holds plugin "notes" but its provenance is for "todo"');
  });

  it('refuses a package whose manifest version differs from the signed version, exit 4', async () => {
    const p = await copyPackage('version');
    const { text } = await signProvenance({ name: 'notes', version: '9.9.9', file: 'notes-1.2.0.tgz', size, integrity }, { home: publisher });
    await writeFile(p.prov, text);
    const r = await verify(p.tgz);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('holds version 1.2.0 but its provenance is for 9.9.9');
  });

  it('prints the refusal as JSON with its code under --json', async () => {
    const p = await copyPackage('json');
    await rm(p.prov);
    const r = await pm(['plugin-verify', p.tgz, '--home', consumer, '--json']);
    expect(r.exitCode).toBe(4);
    expect(JSON.parse(r.stdout).error.code).toBe('SIGNATURE_MISSING');
  });
});

describe('pm plugin-verify on hostile provenance', () => {
  it('refuses a provenance file over 64 KiB without parsing it (malformed), exit 4', async () => {
    const p = await copyPackage('huge-prov');
    await writeFile(p.prov, 'x'.repeat(65 * 1024));
    const r = await verify(p.tgz);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('is 66560 bytes; the limit is 65536');
  });
});
