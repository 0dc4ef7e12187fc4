import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { PmError, type ErrorCode } from '../errors.js';
import { fileKind, readRegularText } from '../fs/read-regular-file.js';
import { integrityOfFile } from '../pack/integrity.js';
import { readTarballManifest } from '../pack/read-tarball-manifest.js';
import { loadOpenpgp, openKeyring } from './keyring.js';
import { parseProvenanceText } from './provenance.js';
import { pickSigner, signatureFailure, type CandidateKey } from './signer-check.js';

export interface VerifyOptions {
  /** PM_HOME whose keyring supplies known and trusted keys. */
  home?: string;
  /** The provenance file (default `<tgz>.prov`). */
  provPath?: string;
  /** Extra armored public keys trusted for this check only (e.g. a registry's pinned key). */
  trustedKeys?: string[];
  /** The file name the provenance must name (default: the tarball's own name); for packages cached under another name. */
  fileName?: string;
}

export interface VerifiedPackage {
  file: string;
  name: string;
  version: string;
  integrity: string;
  size: number;
  signer: { fingerprint: string; userIds: string[] };
}

const MAX_PROV_BYTES = 64 * 1024;

function refuse(code: ErrorCode, message: string, hint: string, data: Record<string, unknown> = {}): PmError {
  return new PmError(code, message, { hint, data });
}

/**
 * Verifies a package against its provenance: the signature (trusted, current key), then the
 * tarball's name, size and integrity, then the manifest inside. The tarball itself is hashed
 * natively; only the small provenance text goes through OpenPGP.
 */
export async function verifyPackage(tgz: string, opts: VerifyOptions = {}): Promise<VerifiedPackage> {
  const file = resolve(tgz);
  const st = await stat(file).catch(() => undefined);
  if (!st) throw new PmError('PACKAGE_NOT_FOUND', `${file} does not exist`, { hint: 'check the path of the .tgz' });
  if (!st.isFile()) throw new PmError('FILE_NOT_REGULAR', `the package ${file} is ${fileKind(st)}, not a regular file`, { hint: 'give the path of a .tgz made by pm plugin-package', data: { path: file, kind: fileKind(st) } });
  // Hash while OpenPGP loads and checks the signature; the result is awaited below.
  const hashing = integrityOfFile(file);
  hashing.catch(() => {});
  const reading = readTarballManifest(file);
  reading.catch(() => {});

  const provPath = resolve(opts.provPath ?? `${file}.prov`);
  let armored: string;
  try {
    // Provenance is a few hundred bytes; a FIFO or /dev/zero must not hang or fill memory.
    armored = await readRegularText(provPath, {
      what: 'the provenance file', maxBytes: MAX_PROV_BYTES, tooLargeCode: 'SIGNATURE_MALFORMED',
      hint: 'this is not a pm provenance file; ask the publisher for the right one (pass another path with --prov)',
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw refuse('SIGNATURE_MISSING', `${basename(file)} is not signed: ${provPath} does not exist`, "ask the publisher for the .prov file (or sign your own package with 'pm plugin-sign'); pass another path with --prov", { provPath });
    }
    throw err;
  }

  const openpgp = await loadOpenpgp();
  let message;
  try {
    message = await openpgp.readCleartextMessage({ cleartextMessage: armored });
  } catch (err) {
    throw refuse('SIGNATURE_MALFORMED', `${provPath} is not an OpenPGP clear-signed provenance file: ${(err as Error).message}`, "ask the publisher for a new .prov, or sign again with 'pm plugin-sign'", { provPath });
  }

  const candidates: CandidateKey[] = [];
  const issuerIds = message.getSigningKeyIDs();
  if (opts.home) {
    for (const { key, trusted } of await openKeyring(opts.home).candidateKeys(issuerIds.map((id) => id.toHex().toUpperCase()))) candidates.push({ key, trusted });
  }
  for (const armoredKey of opts.trustedKeys ?? []) {
    for (const key of await openpgp.readKeys({ armoredKeys: armoredKey })) candidates.unshift({ key, trusted: true });
  }
  const { key, info, signingKeyId } = await pickSigner(issuerIds, candidates, `the provenance of ${basename(file)}`);
  let text: string;
  try {
    const result = await openpgp.verify({ message, verificationKeys: key, expectSigned: true });
    const sig = result.signatures.find((s) => s.keyID.equals(signingKeyId));
    if (!sig) throw new Error('no signature from the signing key');
    await sig.verified;
    text = result.data;
  } catch (err) {
    throw signatureFailure(err, `the provenance of ${basename(file)}`, info.fingerprint);
  }

  const p = parseProvenanceText(text);
  const expectedName = opts.fileName ?? basename(file);
  if (p.file !== expectedName) {
    throw refuse('PROVENANCE_OTHER_FILE', `${provPath} was written for ${p.file}, not for ${expectedName}`, `use the .prov that came with ${expectedName} (--prov <file>)`, { expected: expectedName, actual: p.file });
  }
  if (st.size !== p.size) {
    throw refuse('TARBALL_CHANGED', `${basename(file)} has changed since it was signed: ${st.size} bytes, the provenance says ${p.size}`, 'do not install it; download the package again', { expected: p.size, actual: st.size });
  }
  const integrity = await hashing;
  if (integrity !== p.integrity) {
    throw refuse('TARBALL_CHANGED', `${basename(file)} has changed since it was signed: its sha512 integrity differs from the provenance`, 'do not install it; download the package again', { expected: p.integrity, actual: integrity });
  }
  const manifest = await reading;
  if (manifest.name !== p.name) {
    throw refuse('PACKAGE_NAME_MISMATCH', `${basename(file)} holds plugin "${String(manifest.name)}" but its provenance is for "${p.name}"`, 'do not install it; the publisher signed the wrong name', { expected: p.name, actual: manifest.name });
  }
  if (manifest.version !== p.version) {
    throw refuse('PACKAGE_VERSION_MISMATCH', `${basename(file)} holds version ${String(manifest.version)} but its provenance is for ${p.version}`, 'do not install it; the publisher signed the wrong version', { expected: p.version, actual: manifest.version });
  }
  return { file, name: p.name, version: p.version, integrity, size: st.size, signer: { fingerprint: info.fingerprint, userIds: info.userIds } };
}
