/**
 * The signature block `mcpb sign` appends to a bundle: `MCPB_SIG_V1`, a 4-byte little-endian
 * length, a DER PKCS#7 signature over every byte before the block, then `MCPB_SIG_END`.
 */
import { PmError } from '../errors.js';

const HEADER = Buffer.from('MCPB_SIG_V1', 'utf8');
const FOOTER = Buffer.from('MCPB_SIG_END', 'utf8');

/** A bundle's bytes split into the signed ZIP and its PKCS#7 signature (absent when unsigned). */
export interface SplitBundle {
  zip: Buffer;
  pkcs7?: Buffer;
}

/**
 * Splits a bundle at its signature block. The block must sit exactly at the end, its length
 * field agreeing with where the header is; anything else ending in the footer is refused as tampered.
 */
export function splitSignatureBlock(bytes: Buffer, file: string): SplitBundle {
  if (bytes.length < FOOTER.length || !bytes.subarray(bytes.length - FOOTER.length).equals(FOOTER)) return { zip: bytes };
  const end = bytes.length - FOOTER.length;
  // Search back for a header whose length field points exactly at the footer.
  for (let h = bytes.lastIndexOf(HEADER, end - 4 - HEADER.length); h >= 0; h = h > 0 ? bytes.lastIndexOf(HEADER, h - 1) : -1) {
    const lenAt = h + HEADER.length;
    if (lenAt + 4 <= end && lenAt + 4 + bytes.readUInt32LE(lenAt) === end) {
      return { zip: bytes.subarray(0, h), pkcs7: bytes.subarray(lenAt + 4, end) };
    }
  }
  throw new PmError('MCPB_SIGNATURE_INVALID', `refused ${file}: its signature block is damaged`, {
    hint: 'the bundle was changed after it was signed, or the download is incomplete; do not install it', data: { file },
  });
}
