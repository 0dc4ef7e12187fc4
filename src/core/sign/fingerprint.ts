import { usageError } from '../errors.js';

/** Normalizes a fingerprint or key ID as typed (spaces, `0x`, lower case) to upper-case hex. */
export function normalizeKeyRef(ref: string): string {
  const hex = ref.replace(/\s+/g, '').replace(/^0x/i, '').toUpperCase();
  if (!/^[0-9A-F]{16,64}$/.test(hex)) {
    throw usageError(`"${ref}" is not a key fingerprint`, "give the full fingerprint (or at least its last 16 hex digits) as shown by 'pm keys-list'");
  }
  return hex;
}

/** Groups a fingerprint in blocks of four, as gpg prints it, for people to compare. */
export function formatFingerprint(fpr: string): string {
  return fpr.replace(/(.{4})/g, '$1 ').trim();
}
