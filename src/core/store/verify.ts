import type { SignerInfo } from './state.js';

/** What a verified package's provenance says (sign's verifyPackage result). */
export interface VerifiedPackage {
  name: string;
  version: string;
  integrity: string;
  size: number;
  signer: SignerInfo;
}

export interface VerifyRequest {
  home: string;
  provPath?: string;
  /** The file name the provenance must name, when the package was saved under another name. */
  fileName?: string;
  /** Extra armored public keys trusted for this check only (a registry's pinned key). */
  trustedKeys?: string[];
}

/** Signature verification; injectable so the marketplace (and tests) can pass their own. */
export type PackageVerifier = (tgz: string, options: VerifyRequest) => Promise<VerifiedPackage>;

/** Verifies a .tgz against its .prov with the keyring in PM_HOME (throws PmError kind 'verification'). */
export const verifyWithKeyring: PackageVerifier = async (tgz, options) => {
  // Loaded only for signed installs: openpgp is heavy.
  const { verifyPackage } = await import('../sign/verify-package.js');
  return verifyPackage(tgz, options);
};
