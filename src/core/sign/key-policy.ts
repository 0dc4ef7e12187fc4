import type { AlgorithmInfo } from 'openpgp';
import { PmError } from '../errors.js';

/** Human name of a key algorithm, e.g. "Ed25519" or "RSA 3072". */
export function describeAlgorithm(info: AlgorithmInfo): string {
  switch (info.algorithm) {
    case 'eddsaLegacy':
    case 'ed25519':
      return 'Ed25519';
    case 'ed448':
      return 'Ed448';
    case 'rsaEncryptSign':
    case 'rsaSign':
      return `RSA ${info.bits}`;
    case 'ecdsa':
      return `ECDSA ${info.curve}`;
    default:
      return info.bits ? `${info.algorithm} ${info.bits}` : String(info.algorithm);
  }
}

/**
 * Accepts only signing algorithms pm trusts: Ed25519 (OpenPGP v4 "EdDSA legacy" or v6),
 * Ed448, and RSA of 3072 bits or more. Throws a refusal naming the algorithm otherwise.
 */
export function assertAcceptedAlgorithm(info: AlgorithmInfo, fingerprint: string): void {
  const a = info.algorithm;
  if (a === 'eddsaLegacy' || a === 'ed25519' || a === 'ed448') return;
  if ((a === 'rsaEncryptSign' || a === 'rsaSign') && (info.bits ?? 0) >= 3072) return;
  throw new PmError('KEY_ALGORITHM_REFUSED', `key ${fingerprint} uses ${describeAlgorithm(info)}, which pm does not accept for signatures`, {
    hint: 'use an Ed25519 key or an RSA key of at least 3072 bits (gpg --quick-gen-key "Name <mail>" ed25519)',
    data: { fingerprint, algorithm: describeAlgorithm(info) },
  });
}
