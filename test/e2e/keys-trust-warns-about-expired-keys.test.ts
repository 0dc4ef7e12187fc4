import { afterAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { pm, tempDir } from '../helpers/pm.js';

// Issue 13.6/13.9: keys-trust accepted an expired key silently, and every package it signed was then refused.
const tmp = await tempDir('pm-keys-trust-expired-');
afterAll(() => tmp.cleanup());
const spaced = (fpr: string) => fpr.replace(/(.{4})/g, '$1 ').trim();

async function importKey(home: string, name: string, opts: { expiredDaysAgo?: number; revoked?: boolean } = {}): Promise<string> {
  const date = opts.expiredDaysAgo ? new Date(Date.now() - (opts.expiredDaysAgo + 1) * 86400_000) : new Date();
  const { privateKey, publicKey } = await openpgp.generateKey({
    type: 'ecc', curve: 'ed25519Legacy', userIDs: [{ name }], date, keyExpirationTime: opts.expiredDaysAgo ? 86400 : 0, format: 'object',
  });
  const armored = opts.revoked ? (await openpgp.revokeKey({ key: privateKey, format: 'armored' })).publicKey : publicKey.armor();
  const file = join(tmp.dir, `${name}.asc`);
  await writeFile(file, armored);
  const r = await pm(['keys-import', file, '--home', home]);
  expect(r.exitCode, r.stderr).toBe(0);
  return publicKey.getFingerprint().toUpperCase();
}

describe('keys-trust says when the key cannot verify anything', () => {
  it('warns about an expired key on stderr (and in --json), and still records the trust', async () => {
    const home = join(tmp.dir, 'expired');
    const fpr = await importKey(home, 'Old Key', { expiredDaysAgo: 3 });
    const r = await pm(['keys-trust', fpr, '--yes', '--home', home]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^warning: key ${spaced(fpr)} expired on \\d{4}-\\d\\d-\\d\\d: packages signed by it are refused \\(SIGNER_EXPIRED\\) even when it is trusted — ask the publisher to extend the key's expiry`));
    expect(r.stdout).toContain('EXPIRED');
    const json = JSON.parse((await pm(['keys-trust', fpr, '--yes', '--json', '--home', home])).stdout);
    expect(json).toMatchObject({ fingerprint: fpr, trusted: true, expired: true, warnings: [{ code: 'KEY_EXPIRED', severity: 'warning', data: { fingerprint: fpr } }] });
  });

  it('warns about a revoked key', async () => {
    const home = join(tmp.dir, 'revoked');
    const fpr = await importKey(home, 'Gone Key', { revoked: true });
    const r = await pm(['keys-trust', fpr, '--yes', '--home', home]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain(`warning: key ${spaced(fpr)} is revoked: packages signed by it are refused (SIGNER_REVOKED)`);
  });

  it('says nothing extra for a current key', async () => {
    const home = join(tmp.dir, 'current');
    const fpr = await importKey(home, 'Fresh Key');
    const r = await pm(['keys-trust', fpr, '--yes', '--json', '--home', home]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).warnings).toEqual([]);
  });
});
