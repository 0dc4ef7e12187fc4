import { PmError } from '../errors.js';
import type { SignerInfo } from './state.js';

/** What a verified package's provenance says (sign's verifyPackage result). */
export interface VerifiedPackage {
  name: string;
  version: string;
  integrity: string;
  size: number;
  signer: SignerInfo;
}

/** Signature verification: sign's verifyPackage, injectable so callers (and tests) can pass their own. */
export type PackageVerifier = (tgz: string, options: { home: string; provPath?: string }) => Promise<VerifiedPackage>;

/** Verifies a .tgz against its .prov with the keyring in PM_HOME (throws PmError kind 'verification'). */
export const verifyWithKeyring: PackageVerifier = async (tgz, options) => {
  // Loaded only for signed installs: openpgp is heavy.
  const spec = '../sign/index.js';
  let mod: { verifyPackage?: PackageVerifier };
  try {
    mod = (await import(spec)) as { verifyPackage?: PackageVerifier };
  } catch {
    mod = {};
  }
  if (!mod.verifyPackage) {
    throw new PmError('VERIFY_UNAVAILABLE', 'signature verification is not available in this build', { kind: 'verification', hint: 'use --allow-unsigned to install without verification' });
  }
  return mod.verifyPackage(tgz, options);
};
