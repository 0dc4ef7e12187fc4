import { PmError } from '../errors.js';
import { loadOpenpgp, openKeyring } from './keyring.js';
import { pickSigner, signatureFailure } from './signer-check.js';

/** An armored detached signature over exact bytes (e.g. a registry's index.json), made with an own key. */
export async function signDetached(data: Uint8Array, opts: { home: string; key?: string; passphrase?: string }): Promise<string> {
  const openpgp = await loadOpenpgp();
  const { key } = await openKeyring(opts.home).signingKey(opts.key, opts.passphrase);
  const message = await openpgp.createMessage({ binary: data });
  return openpgp.sign({ message, signingKeys: key, detached: true, format: 'armored' });
}

/**
 * Verifies an armored detached signature over exact bytes against the given public keys (all
 * trusted); throws PmError kind 'verification' (SIGNATURE_MALFORMED, SIGNER_UNKNOWN, SIGNER_EXPIRED,
 * SIGNER_REVOKED, SIGNATURE_BAD) or returns the signer's fingerprint.
 */
export async function verifyDetached(data: Uint8Array, armoredSignature: string, publicKeysArmored: string[]): Promise<{ fingerprint: string }> {
  const openpgp = await loadOpenpgp();
  let signature;
  try {
    signature = await openpgp.readSignature({ armoredSignature });
  } catch (err) {
    throw new PmError('SIGNATURE_MALFORMED', `not an armored OpenPGP signature: ${(err as Error).message}`, { hint: 'sign the data again' });
  }
  const keys = [];
  for (const armoredKeys of publicKeysArmored) keys.push(...(await openpgp.readKeys({ armoredKeys })));
  const { key, info, signingKeyId } = await pickSigner(signature.getSigningKeyIDs(), keys.map((key) => ({ key, trusted: true })), 'the signature');
  try {
    const message = await openpgp.createMessage({ binary: data });
    const result = await openpgp.verify({ message, signature, verificationKeys: key, expectSigned: true, format: 'binary' });
    const sig = result.signatures.find((s) => s.keyID.equals(signingKeyId));
    if (!sig) throw new Error('no signature from the signing key');
    await sig.verified;
  } catch (err) {
    throw signatureFailure(err, 'the signature', info.fingerprint);
  }
  return { fingerprint: info.fingerprint };
}
