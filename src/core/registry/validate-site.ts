import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import semver from 'semver';
import { isPmError, PmError } from '../errors.js';
import { readRegularFile, readRegularText } from '../fs/read-regular-file.js';
import { parseUntrustedJson } from '../json/parse-untrusted.js';
import { checkIndexSchema } from '../index-format/check-schema.js';
import { resolveRegistryUrl } from '../index-format/urls.js';
import { DEFAULT_MAX_INDEX_BYTES, type RegistryIndex } from '../index-format/types.js';


/** Armored keys and signatures are a few KiB; more than this is not one. */
const MAX_ARMOR_BYTES = 4 * 1024 * 1024;

export interface RegistryValidateOptions {
  home: string;
  /** The index currently published, to prove versions are immutable and the counter grows. */
  previous?: string;
  /** Armored public key files the index signature must verify with (default: the site's key.asc). */
  keyFiles?: string[];
  now?: Date;
}

export interface SiteProblem {
  code: string;
  message: string;
  /** name@version, or "index". */
  where: string;
}

export interface RegistryValidateReport {
  ok: boolean;
  site: string;
  version: number | null;
  plugins: number;
  versions: number;
  signature: 'valid' | 'unsigned' | 'invalid';
  problems: SiteProblem[];
}

async function readJson(path: string): Promise<{ bytes: Buffer; value: unknown }> {
  const bytes = await readRegularFile(path, { what: 'the index', maxBytes: DEFAULT_MAX_INDEX_BYTES });
  return { bytes, value: parseUntrustedJson(bytes, { what: path, maxBytes: DEFAULT_MAX_INDEX_BYTES }) };
}

/**
 * Checks a marketplace site as a registry's CI would before merging a contribution: schema,
 * index signature, every package present with its size and integrity, the manifest inside
 * matching its entry, provenance valid and by the listed signer, names unique, and (with
 * `previous`) published versions unchanged and the version counter increased.
 */
export async function validateSite(site: string, opts: RegistryValidateOptions): Promise<RegistryValidateReport> {
  const problems: SiteProblem[] = [];
  const add = (code: string, where: string, message: string) => problems.push({ code, where, message });
  let parsed;
  try {
    parsed = await readJson(join(site, 'index.json'));
  } catch (err) {
    throw new PmError('SITE_UNREADABLE', `${join(site, 'index.json')} cannot be read: ${(err as Error).message}`, { hint: "build the site with 'pm registry-build'" });
  }
  try {
    checkIndexSchema(site, parsed.value);
  } catch (err) {
    if (!isPmError(err)) throw err;
    add('INDEX_INVALID', 'index', err.message);
    return { ok: false, site, version: null, plugins: 0, versions: 0, signature: 'invalid', problems };
  }
  const index = parsed.value as RegistryIndex;
  const { integrityOfFile, readTarballManifest } = await import('../pack/index.js');
  const { verifyDetached, verifyPackage } = await import('../sign/index.js');

  // Signature over the exact bytes, with the given keys or the site's published key.
  let signature: RegistryValidateReport['signature'] = 'unsigned';
  const asc = await readRegularText(join(site, 'index.json.asc'), { what: 'the index signature', maxBytes: MAX_ARMOR_BYTES }).catch(() => undefined);
  if (asc !== undefined) {
    const keys = opts.keyFiles?.length
      ? await Promise.all(opts.keyFiles.map((f) => readRegularText(f, { what: 'the key file', maxBytes: MAX_ARMOR_BYTES })))
      : [await readRegularText(join(site, 'key.asc'), { what: 'the key file', maxBytes: MAX_ARMOR_BYTES }).catch(() => '')].filter(Boolean);
    try {
      if (!keys.length) throw new Error('no key to check it with (pass --key <file>)');
      await verifyDetached(parsed.bytes, asc, keys);
      signature = 'valid';
    } catch (err) {
      signature = 'invalid';
      add('INDEX_SIGNATURE_INVALID', 'index', `index.json.asc does not verify: ${(err as Error).message}`);
    }
  } else if (opts.keyFiles?.length) {
    add('INDEX_SIGNATURE_MISSING', 'index', 'index.json.asc is missing');
  }

  if (index.expires !== null && Date.parse(index.expires) <= (opts.now ?? new Date()).getTime()) add('INDEX_EXPIRED', 'index', `the index expired at ${index.expires}`);

  const lower = new Map<string, string>();
  let versions = 0;
  for (const [name, p] of Object.entries(index.plugins)) {
    const clash = lower.get(name.toLowerCase());
    if (clash) add('NAME_DUPLICATE', name, `${name} and ${clash} differ only in case`);
    lower.set(name.toLowerCase(), name);
    if (!p.versions[p.latest]) add('LATEST_MISSING', name, `latest ${p.latest} is not among the versions`);
    for (const [v, e] of Object.entries(p.versions)) {
      versions++;
      const where = `${name}@${v}`;
      if (!semver.valid(v)) { add('VERSION_INVALID', where, `${v} is not semver`); continue; }
      let file: string;
      try {
        file = resolveRegistryUrl(index.name, site, 'url', e.url);
      } catch (err) {
        add('URL_OUTSIDE', where, (err as Error).message);
        continue;
      }
      const st = await stat(file).catch(() => undefined);
      if (!st) { add('PACKAGE_MISSING', where, `${e.url} is missing`); continue; }
      if (st.size !== e.size) { add('PACKAGE_SIZE', where, `${e.url} is ${st.size} bytes, the index says ${e.size}`); continue; }
      const integrity = await integrityOfFile(file);
      if (integrity !== e.integrity) { add('PACKAGE_INTEGRITY', where, `${e.url} does not match its integrity in the index`); continue; }
      try {
        const m = await readTarballManifest(file);
        if (m.name !== name || m.version !== v) add('MANIFEST_MISMATCH', where, `${e.url} holds ${String(m.name)}@${String(m.version)}`);
      } catch (err) {
        add('PACKAGE_CORRUPT', where, (err as Error).message);
        continue;
      }
      if (e.provenance === null || e.signer === null) {
        if (e.provenance !== e.signer) add('PROVENANCE_INCONSISTENT', where, 'provenance and signer must both be set or both be null');
        continue;
      }
      const key = index.keys?.[e.signer];
      if (!key) { add('SIGNER_KEY_MISSING', where, `signer ${e.signer} has no public key in the index's keys`); continue; }
      try {
        const prov = resolveRegistryUrl(index.name, site, 'provenance', e.provenance);
        const r = await verifyPackage(file, { provPath: prov, trustedKeys: [key] });
        if (r.signer.fingerprint !== e.signer) add('SIGNER_MISMATCH', where, `signed by ${r.signer.fingerprint}, the index says ${e.signer}`);
      } catch (err) {
        add('PROVENANCE_INVALID', where, (err as Error).message);
      }
    }
  }

  if (opts.previous) {
    let prev: RegistryIndex;
    try {
      prev = (await readJson(opts.previous)).value as RegistryIndex;
    } catch (err) {
      throw new PmError('PREVIOUS_INDEX_UNREADABLE', `${opts.previous} cannot be read: ${(err as Error).message}`, { hint: 'pass the index.json currently published' });
    }
    if (!(index.version > prev.version)) add('VERSION_NOT_INCREASED', 'index', `version ${index.version} is not greater than the previous ${prev.version}`);
    for (const [name, p] of Object.entries(prev.plugins ?? {})) {
      for (const [v, e] of Object.entries(p.versions)) {
        const now = index.plugins[name]?.versions[v];
        if (!now) add('VERSION_REMOVED', `${name}@${v}`, 'a published version disappeared (mark it deprecated instead)');
        else if (now.integrity !== e.integrity || now.size !== e.size) add('VERSION_CHANGED', `${name}@${v}`, 'a published version changed its content');
      }
    }
  }

  return { ok: problems.length === 0, site, version: index.version, plugins: Object.keys(index.plugins).length, versions, signature, problems };
}
