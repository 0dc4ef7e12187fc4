import type { Key, KeyID, PublicKey } from 'openpgp';
import { PmError, type ErrorCode } from '../errors.js';
import { formatFingerprint } from './fingerprint.js';
import { describeKey, type KeyInfo } from './keyring.js';
import { assertAcceptedAlgorithm } from './key-policy.js';

/** A key a signature may be checked against, and whether the user trusts it to sign. */
export interface CandidateKey {
  key: PublicKey | Key;
  trusted: boolean;
}

function refuse(code: ErrorCode, message: string, hint: string, data: Record<string, unknown>): PmError {
  return new PmError(code, message, { hint, data });
}

/**
 * Picks the key that made a signature (by the issuer key IDs it names) and refuses an
 * unknown, untrusted, revoked, expired or too-weak signer, each with its own code.
 */
export async function pickSigner(issuerIds: KeyID[], candidates: CandidateKey[], what: string): Promise<{ key: Key; info: KeyInfo; signingKeyId: KeyID }> {
  const ids = issuerIds.map((id) => id.toHex().toUpperCase());
  if (!ids.length) throw refuse('SIGNATURE_MALFORMED', `${what} names no signing key`, 'sign it again', {});
  for (const c of candidates) {
    const match = c.key.getKeyIDs().find((kid) => issuerIds.some((id) => id.equals(kid)));
    if (!match) continue;
    const info = await describeKey(c.key, { own: false, trusted: c.trusted, isDefault: false });
    const fpr = info.fingerprint;
    const who = `${formatFingerprint(fpr)}${info.userIds.length ? ` (${info.userIds.join(', ')})` : ''}`;
    if (!c.trusted) {
      throw refuse('SIGNER_UNTRUSTED', `${what} is signed by key ${who}, which you imported but do not trust`, `if you trust this publisher, run 'pm keys-trust ${fpr}'`, { fingerprint: fpr, userIds: info.userIds });
    }
    if (info.revoked) {
      throw refuse('SIGNER_REVOKED', `${what} is signed by key ${who}, which has been revoked`, "do not install it; ask the publisher for a package signed with their current key", { fingerprint: fpr });
    }
    if (info.expired) {
      throw refuse('SIGNER_EXPIRED', `${what} is signed by key ${who}, which expired on ${info.expires}`, "ask the publisher to extend the key's expiry (then run 'pm keys-import' again) or to sign with a current key", { fingerprint: fpr });
    }
    const subkey = c.key.getKeys(match)[0];
    assertAcceptedAlgorithm(subkey.getAlgorithmInfo(), fpr);
    return { key: c.key, info, signingKeyId: match };
  }
  throw refuse('SIGNER_UNKNOWN', `${what} is signed by an unknown key (key ID ${ids.join(', ')})`, "get the publisher's public key, then run 'pm keys-import <file>' and 'pm keys-trust <fingerprint>'", { keyIds: ids });
}

/** Maps an openpgp verification failure to pm's refusal codes. */
export function signatureFailure(err: unknown, what: string, fpr: string): PmError {
  const msg = err instanceof Error ? err.message : String(err);
  if (/revoked/i.test(msg)) return refuse('SIGNER_REVOKED', `${what} is signed by a revoked key ${formatFingerprint(fpr)}: ${msg}`, 'do not install it; ask the publisher for a package signed with their current key', { fingerprint: fpr });
  const weak = /insecure (?:message )?hash algorithm: *(\w+)/i.exec(msg);
  if (weak) {
    const alg = weak[1]!.toUpperCase() === 'SHA1' ? 'SHA-1' : weak[1]!.toUpperCase();
    return refuse('SIGNATURE_WEAK_HASH', `${what} is signed with a ${alg} hash; ${alg} signatures are not accepted because they can be forged`, "ask the publisher to sign again with 'pm plugin-sign <package>' (SHA-512); with GnuPG, add --digest-algo SHA512", { fingerprint: fpr, hash: alg });
  }
  if (/expired/i.test(msg)) return refuse('SIGNER_EXPIRED', `${what} is signed by an expired key ${formatFingerprint(fpr)}: ${msg}`, "ask the publisher to extend the key's expiry or sign with a current key", { fingerprint: fpr });
  return refuse('SIGNATURE_BAD', `${what} has a bad signature: the signed text was changed after signing, or the signature is not from key ${formatFingerprint(fpr)}`, 'do not trust this file; download it again or ask the publisher to sign again', { fingerprint: fpr, reason: msg });
}
