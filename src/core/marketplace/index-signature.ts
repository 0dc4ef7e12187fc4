import { PmError } from '../errors.js';
import type { RegistryConfig } from './registries-config.js';

/** Verifies index.json.asc over the exact index bytes against the registry's pinned keys; returns the signer's fingerprint. */
export async function verifyIndexSignature(reg: RegistryConfig, bytes: Uint8Array, armored: string): Promise<string> {
  const { verifyDetached } = await import('../sign/index.js');
  try {
    const { fingerprint } = await verifyDetached(bytes, armored, reg.keys);
    return fingerprint;
  } catch (err) {
    throw new PmError('INDEX_SIGNATURE_INVALID', `registry ${reg.name}: the signature of index.json does not verify with the pinned key ${reg.fingerprints.join(', ')}`, {
      hint: 'the index was changed after signing or signed by another key; do not install from it. If the operator rotated keys, pin the new key with marketplace-add --replace',
      data: { registry: reg.name, reason: (err as Error).message },
      cause: err,
    });
  }
}
