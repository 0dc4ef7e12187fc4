import { describe, expect, it } from 'vitest';
import { formatFingerprint, normalizeKeyRef } from '../../../../src/core/sign/fingerprint.js';

describe('fingerprints', () => {
  it('normalizes spaces, 0x and lower case to upper-case hex', () => {
    expect(normalizeKeyRef('0xb1f9 fe8d 7641 d640 ba70  b2f8 3024 61a6 e54c 06a3')).toBe('B1F9FE8D7641D640BA70B2F8302461A6E54C06A3');
  });

  it('refuses fewer than 16 hex digits or non-hex text as a usage error', () => {
    expect(() => normalizeKeyRef('E54C06A3')).toThrow(expect.objectContaining({ kind: 'usage' }));
    expect(() => normalizeKeyRef('ada@example.org')).toThrow(expect.objectContaining({ kind: 'usage' }));
  });

  it('groups a fingerprint in blocks of four for reading aloud', () => {
    expect(formatFingerprint('B1F9FE8D7641D640BA70B2F8302461A6E54C06A3')).toBe('B1F9 FE8D 7641 D640 BA70 B2F8 3024 61A6 E54C 06A3');
  });
});
