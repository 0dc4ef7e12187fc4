// Public surface of keys and signatures, for the store, marketplace and registry modules.
export { openKeyring, Keyring, describeKey, type KeyInfo, type GenerateKeyOptions } from './keyring.js';
export { signPackage, signProvenance, type SignOptions } from './sign-package.js';
export { verifyPackage, type VerifyOptions, type VerifiedPackage } from './verify-package.js';
export { signDetached, verifyDetached } from './detached.js';
export { provenanceText, parseProvenanceText, type Provenance } from './provenance.js';
export { normalizeKeyRef, formatFingerprint } from './fingerprint.js';
