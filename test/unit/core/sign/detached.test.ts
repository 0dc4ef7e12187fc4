import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openKeyring } from '../../../../src/core/sign/keyring.js';
import { signDetached, verifyDetached } from '../../../../src/core/sign/detached.js';
import { tempDir } from '../../../helpers/pm.js';

const tmp = await tempDir();
const home = join(tmp.dir, 'home');
const data = new TextEncoder().encode('{"schemaVersion":1,"version":42}\n');
let publicKey: string;
let fingerprint: string;
afterAll(() => tmp.cleanup());
beforeAll(async () => {
  fingerprint = (await openKeyring(home).generate({ name: 'Registry' })).fingerprint;
  publicKey = await openKeyring(home).exportPublic();
});

describe('detached signatures', () => {
  it('sign exact bytes and verify against the given public key, naming the signer', async () => {
    const sig = await signDetached(data, { home });
    expect(sig).toMatch(/^-----BEGIN PGP SIGNATURE-----/);
    expect(await verifyDetached(data, sig, [publicKey])).toEqual({ fingerprint });
  });

  it('refuse bytes changed after signing (bad signature)', async () => {
    const sig = await signDetached(data, { home });
    const changed = Uint8Array.from(data);
    changed[changed.length - 3] ^= 1;
    await expect(verifyDetached(changed, sig, [publicKey])).rejects.toMatchObject({ code: 'SIGNATURE_BAD', kind: 'verification' });
  });

  it('refuse a signature by a key not in the given list (unknown key)', async () => {
    const other = join(tmp.dir, 'other');
    await openKeyring(other).generate({ name: 'Other' });
    const sig = await signDetached(data, { home: other });
    await expect(verifyDetached(data, sig, [publicKey])).rejects.toMatchObject({ code: 'SIGNER_UNKNOWN' });
  });

  it('refuse text that is not an armored signature (malformed)', async () => {
    await expect(verifyDetached(data, 'not a signature', [publicKey])).rejects.toMatchObject({ code: 'SIGNATURE_MALFORMED' });
  });
});
