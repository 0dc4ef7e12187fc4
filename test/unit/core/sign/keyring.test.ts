import { afterAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { openKeyring } from '../../../../src/core/sign/keyring.js';
import { Findings } from '../../../../src/core/warn.js';
import { tempDir } from '../../../helpers/pm.js';

const tmp = await tempDir();
afterAll(() => tmp.cleanup());

describe('Keyring', () => {
  it('generates OpenPGP v4 Ed25519 keys (what GnuPG 2.2 reads), not v6', async () => {
    const kr = openKeyring(join(tmp.dir, 'v4'));
    const info = await kr.generate({ name: 'Ada', email: 'ada@example.org' });
    const key = await openpgp.readKey({ armoredKey: await kr.exportPublic() });
    expect(key.keyPacket.version).toBe(4);
    expect(key.getAlgorithmInfo()).toMatchObject({ algorithm: 'eddsaLegacy', curve: 'ed25519Legacy' });
    expect(info.fingerprint).toHaveLength(40);
  });

  it('keeps the first own key as the default and signs with it unless told otherwise', async () => {
    const kr = openKeyring(join(tmp.dir, 'default'));
    const first = await kr.generate({ name: 'First' });
    const second = await kr.generate({ name: 'Second' });
    expect((await kr.defaultSigningKey())?.fingerprint).toBe(first.fingerprint);
    expect((await kr.signingKey()).info.fingerprint).toBe(first.fingerprint);
    expect((await kr.signingKey(second.fingerprint)).info.fingerprint).toBe(second.fingerprint);
  });

  it('refuses to sign with a key it holds only the public half of', async () => {
    const a = openKeyring(join(tmp.dir, 'a'));
    const b = openKeyring(join(tmp.dir, 'b'));
    await b.generate({ name: 'B' });
    const [imported] = await a.import(await b.exportPublic());
    await expect(a.signingKey(imported.fingerprint)).rejects.toMatchObject({ code: 'KEY_NOT_OWN' });
  });

  it('merges a re-imported key, so a later revocation takes effect and trust is kept', async () => {
    const pub = openKeyring(join(tmp.dir, 'pub'));
    const info = await pub.generate({ name: 'Rev' });
    const kr = openKeyring(join(tmp.dir, 'merge'));
    await kr.import(await pub.exportPublic());
    await kr.trust(info.fingerprint);
    const secret = await openpgp.readPrivateKey({ armoredKey: await readFile(join(tmp.dir, 'pub', 'keys', 'secret', `${info.fingerprint}.asc`), 'utf8') });
    const { publicKey } = await openpgp.revokeKey({ key: secret, format: 'armored' });
    const [after] = await kr.import(publicKey);
    expect(after).toMatchObject({ fingerprint: info.fingerprint, revoked: true, trusted: true });
  });

  it('trusts an expired key with a KEY_EXPIRED warning, and a current one without any', async () => {
    const kr = openKeyring(join(tmp.dir, 'expired-trust'));
    const made = new Date(Date.now() - 5 * 86400_000);
    const old = await openpgp.generateKey({ type: 'ecc', curve: 'ed25519Legacy', userIDs: [{ name: 'Old' }], date: made, keyExpirationTime: 86400, format: 'object' });
    const [expired] = await kr.import(old.publicKey.armor());
    const findings = new Findings();
    expect(await kr.trust(expired!.fingerprint, findings)).toMatchObject({ trusted: true, expired: true });
    expect(findings.warnings).toEqual([expect.objectContaining({ code: 'KEY_EXPIRED', severity: 'warning', data: { fingerprint: expired!.fingerprint, expires: expired!.expires } })]);
    const fresh = await openpgp.generateKey({ type: 'ecc', curve: 'ed25519Legacy', userIDs: [{ name: 'New' }], format: 'object' });
    const [current] = await kr.import(fresh.publicKey.armor());
    const none = new Findings();
    await kr.trust(current!.fingerprint, none);
    expect(none.items).toEqual([]);
  });

  it('finds a key by a unique suffix of 16+ hex digits in any case, and refuses a too-short reference', async () => {
    const kr = openKeyring(join(tmp.dir, 'suffix'));
    const info = await kr.generate({ name: 'S' });
    expect((await kr.get(info.fingerprint.slice(-16).toLowerCase())).fingerprint).toBe(info.fingerprint);
    await expect(kr.get(info.fingerprint.slice(-8))).rejects.toMatchObject({ kind: 'usage' });
  });

  it('refuses an RSA key under 3072 bits at import, and writes nothing', async () => {
    const { publicKey } = await openpgp.generateKey({ type: 'rsa', rsaBits: 2048, userIDs: [{ name: 'Weak' }], format: 'armored' });
    const kr = openKeyring(join(tmp.dir, 'weak'));
    await expect(kr.import(publicKey)).rejects.toMatchObject({ code: 'KEY_ALGORITHM_REFUSED', message: expect.stringContaining('RSA 2048') });
    expect(await kr.list()).toEqual([]);
  });
  it('parses only the key a signature names when looking for a signer, so other key files are never read', async () => {
    const kr = openKeyring(join(tmp.dir, 'candidates'));
    const wanted = await kr.generate({ name: 'Wanted' });
    const other = await kr.generate({ name: 'Other' });
    // A damaged key file that is not the signer's must not matter (it would throw if parsed).
    await writeFile(join(kr.dir, 'public', `${other.fingerprint}.asc`), 'not a key');
    const found = await kr.candidateKeys([wanted.fingerprint.slice(-16)]);
    expect(found.map((c) => c.fingerprint)).toEqual([wanted.fingerprint]);
    expect(found[0]).toMatchObject({ own: true, trusted: true });
  });

  it('parses every key when no file name carries the signing key ID (a signature by a subkey)', async () => {
    const kr = openKeyring(join(tmp.dir, 'subkey'));
    const a = await kr.generate({ name: 'A' });
    const b = await kr.generate({ name: 'B' });
    const found = await kr.candidateKeys(['0123456789ABCDEF']);
    expect(found.map((c) => c.fingerprint).sort()).toEqual([a.fingerprint, b.fingerprint].sort());
  });
});
