import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { PmError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { integrityOfFile } from '../pack/integrity.js';
import { readTarballManifest } from '../pack/read-tarball-manifest.js';
import { loadOpenpgp, openKeyring, type KeyInfo } from './keyring.js';
import { provenanceText, type Provenance } from './provenance.js';

export interface SignOptions {
  home: string;
  /** Fingerprint (or 16+ hex suffix) of an own key; default: the default signing key. */
  key?: string;
  passphrase?: string;
  /** Where to write the provenance (default `<tgz>.prov`). */
  out?: string;
}

/** Clear-signs provenance text with one of the keyring's own keys; returns the armored text. */
export async function signProvenance(p: Provenance, opts: SignOptions): Promise<{ text: string; signer: KeyInfo }> {
  const openpgp = await loadOpenpgp();
  const { key, info } = await openKeyring(opts.home).signingKey(opts.key, opts.passphrase);
  const message = await openpgp.createCleartextMessage({ text: provenanceText(p) });
  const text = await openpgp.sign({ message, signingKeys: key });
  return { text, signer: info };
}

/** Writes `<tgz>.prov`: clear-signed name, version, file name, size and integrity of the tarball. */
export async function signPackage(tgz: string, opts: SignOptions): Promise<{ provPath: string; signer: KeyInfo; provenance: Provenance }> {
  const file = resolve(tgz);
  const st = await stat(file).catch(() => undefined);
  if (!st?.isFile()) throw new PmError('PACKAGE_NOT_FOUND', `${file} does not exist`, { hint: "make it with 'pm plugin-package'" });
  const manifest = await readTarballManifest(file);
  if (typeof manifest.name !== 'string' || typeof manifest.version !== 'string') {
    throw new PmError('PACKAGE_MANIFEST_INVALID', `package/plugin.json in ${file} has no name or version`, { hint: "package it again with 'pm plugin-package'" });
  }
  const provenance: Provenance = { name: manifest.name, version: manifest.version, file: basename(file), size: st.size, integrity: await integrityOfFile(file) };
  const { text, signer } = await signProvenance(provenance, opts);
  const provPath = resolve(opts.out ?? `${file}.prov`);
  await writeFileAtomic(provPath, text);
  return { provPath, signer, provenance };
}
