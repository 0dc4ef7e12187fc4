import { describe, expect, it } from 'vitest';
import { assertAcceptedAlgorithm, describeAlgorithm } from '../../../../src/core/sign/key-policy.js';

describe('key policy', () => {
  it.each([
    [{ algorithm: 'eddsaLegacy' as const, curve: 'ed25519Legacy' as const }, 'Ed25519'],
    [{ algorithm: 'ed25519' as const }, 'Ed25519'],
    [{ algorithm: 'rsaEncryptSign' as const, bits: 3072 }, 'RSA 3072'],
    [{ algorithm: 'rsaSign' as const, bits: 4096 }, 'RSA 4096'],
  ])('accepts %o (%s)', (info, name) => {
    expect(describeAlgorithm(info)).toBe(name);
    expect(() => assertAcceptedAlgorithm(info, 'F')).not.toThrow();
  });

  it.each([
    [{ algorithm: 'rsaEncryptSign' as const, bits: 2048 }, 'RSA 2048'],
    [{ algorithm: 'dsa' as const, bits: 3072 }, 'dsa 3072'],
    [{ algorithm: 'ecdsa' as const, curve: 'nistP256' as const }, 'ECDSA nistP256'],
  ])('refuses %o naming it (%s)', (info, name) => {
    expect(() => assertAcceptedAlgorithm(info, 'F')).toThrow(expect.objectContaining({ code: 'KEY_ALGORITHM_REFUSED', message: `key F uses ${name}, which pm does not accept for signatures` }));
  });
});
