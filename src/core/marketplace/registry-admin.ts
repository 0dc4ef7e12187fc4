import { rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PmError, usageError } from '../errors.js';
import { readRegularText } from '../fs/read-regular-file.js';
import { loadOpenpgp } from '../sign/keyring.js';
import { fetchBytes, isHttpUrl } from '../net/fetch-bytes.js';
import { loadIndex, type FetchEvent } from './load-index.js';
import { marketPaths, REGISTRY_NAME } from './paths.js';
import { deleteRegistry, listRegistries, saveRegistry, type RegistryConfig } from './registries-config.js';
import { readRegistryState } from './registry-state.js';

export interface AddRegistryOptions {
  home: string;
  name: string;
  url: string;
  /** An armored public key file, or a fingerprint of a key in the keyring. */
  key?: string;
  allowUnsigned?: boolean;
  /** Pin whatever key signs the first index (the site's key.asc). */
  trustOnFirstUse?: boolean;
  /** Replace an existing registry of that name (e.g. to pin a rotated key); its trusted version is kept. */
  replace?: boolean;
  timeoutMs?: number;
  /** Called before each download attempt (key, index, signature), for a progress display. */
  onFetch?: (event: FetchEvent) => void;
}

export interface AddRegistryResult {
  name: string;
  url: string;
  fingerprints: string[];
  trustOnFirstUse: boolean;
  indexVersion: number;
  plugins: number;
  expires: string | null;
}

async function keyFromArg(home: string, key: string): Promise<string> {
  const isFile = await stat(key).then((s) => s.isFile(), () => false);
  if (isFile) return readRegularText(key, { what: 'the key file', maxBytes: 4 * 1024 * 1024, hint: 'pass the registry\'s armored public key file' });
  if (/^(0x)?[0-9a-fA-F\s]{16,}$/.test(key)) {
    const { openKeyring } = await import('../sign/index.js');
    return openKeyring(home).exportPublic(key.replace(/\s+/g, ''));
  }
  throw usageError(`--key ${key} is neither a file nor a fingerprint`, 'pass the registry\'s public key file (often <url>/key.asc, obtained out of band) or the fingerprint of a key in your keyring');
}

/** Splits a file of concatenated armored keys (`cat old.asc new.asc`) into blocks; openpgp reads one block at a time. */
function splitArmor(text: string): string[] {
  const blocks = text.match(/-----BEGIN PGP (?:PUBLIC|PRIVATE) KEY BLOCK-----[\s\S]*?-----END PGP (?:PUBLIC|PRIVATE) KEY BLOCK-----/g);
  return blocks && blocks.length ? blocks.map((b) => b + '\n') : [text];
}

/** Fingerprints of the public keys in an armored block; refuses secret keys and garbage. */
async function fingerprintsOf(armored: string): Promise<string[]> {
  if (/-----BEGIN PGP PRIVATE KEY BLOCK-----/.test(armored)) throw usageError('the key file holds a secret key', 'pin the registry\'s public key (key.asc), never a secret key');
  const openpgp = await loadOpenpgp();
  try {
    const keys = await openpgp.readKeys({ armoredKeys: armored });
    return keys.map((k) => k.getFingerprint().toUpperCase());
  } catch (err) {
    throw usageError(`the key is not an armored OpenPGP public key: ${(err as Error).message}`, 'export it with: pm keys-export <fingerprint> > key.asc');
  }
}

/**
 * Adds a registry: pins its key (or accepts it unsigned, or pins the key of the first index on
 * trust-on-first-use), then downloads and verifies its index before anything is saved.
 */
export async function addRegistry(opts: AddRegistryOptions): Promise<AddRegistryResult> {
  if (!REGISTRY_NAME.test(opts.name)) throw usageError(`"${opts.name}" is not a valid registry name`, 'use lower-case letters, digits, dots, dashes and underscores');
  const modes = [opts.key !== undefined, Boolean(opts.allowUnsigned), Boolean(opts.trustOnFirstUse)].filter(Boolean).length;
  if (modes === 0) throw usageError(`registry ${opts.name} needs a key to check its index against`, 'pass --key <file|fingerprint>, or --trust-on-first-use, or --allow-unsigned for an unsigned registry');
  if (modes > 1) throw usageError('--key, --trust-on-first-use and --allow-unsigned exclude each other', 'pick one');
  const existing = (await listRegistries(opts.home)).find((r) => r.name === opts.name);
  if (existing && !opts.replace) throw usageError(`a registry named ${opts.name} already exists (${existing.url})`, 'pick another name, or pass --replace to change its URL or key');

  let url = opts.url;
  if (!isHttpUrl(url)) {
    url = resolve(url.startsWith('file:') ? new URL(url).pathname : url);
    if (!(await stat(url).then((s) => s.isDirectory(), () => false))) throw usageError(`${url} is not a folder`, 'give the URL or folder of a site built by pm registry-build');
  }

  let keys: string[] = [];
  if (opts.key !== undefined) keys = splitArmor(await keyFromArg(opts.home, opts.key));
  if (opts.trustOnFirstUse) {
    const keyUrl = isHttpUrl(url) ? new URL('key.asc', url.replace(/\/*$/, '/')).href : `${url}/key.asc`;
    const onFetch = opts.onFetch;
    const r = await fetchBytes(keyUrl, {
      maxBytes: 64 * 1024, timeoutMs: opts.timeoutMs,
      onAttempt: onFetch ? (attempt, attempts, lastError) => onFetch({ what: 'key', url: keyUrl, attempt, attempts, lastError }) : undefined,
    });
    if (r.status !== 'ok') throw new PmError('FETCH_PROTOCOL', `${keyUrl}: unexpected not-modified`);
    keys = [Buffer.from(r.body).toString('utf8')];
  }
  const fingerprints: string[] = [];
  for (const k of keys) fingerprints.push(...(await fingerprintsOf(k)));

  const reg: RegistryConfig = {
    name: opts.name, url, keys, fingerprints, allowUnsigned: Boolean(opts.allowUnsigned),
    addedAt: existing?.addedAt ?? new Date().toISOString(),
  };
  // A pinned key must verify the current index before it is saved: a wrong key fails now, not later.
  const loaded = await loadIndex(opts.home, reg, { timeoutMs: opts.timeoutMs, revalidate: true, onFetch: opts.onFetch });
  await saveRegistry(opts.home, reg);
  return {
    name: reg.name, url: reg.url, fingerprints, trustOnFirstUse: Boolean(opts.trustOnFirstUse),
    indexVersion: loaded.index.version, plugins: Object.keys(loaded.index.plugins).length, expires: loaded.index.expires,
  };
}

/** Removes a registry and what pm remembers about it (cache and trusted version). */
export async function removeRegistry(home: string, name: string): Promise<{ name: string }> {
  if (!(await deleteRegistry(home, name))) {
    const names = (await listRegistries(home)).map((r) => r.name);
    throw new PmError('REGISTRY_UNKNOWN', `no registry named ${name}`, { hint: names.length ? `configured: ${names.join(', ')}` : 'no registry is configured', data: { name } });
  }
  const p = marketPaths(home, name);
  await rm(p.cacheDir, { recursive: true, force: true });
  await rm(p.state, { force: true });
  return { name };
}

export interface RegistryListEntry {
  name: string;
  url: string;
  keys: string[];
  allowUnsigned: boolean;
  indexVersion: number | null;
  expires: string | null;
  lastFetched: string | null;
  plugins: number | null;
}

/** The configured registries with what pm last trusted of each. */
export async function describeRegistries(home: string): Promise<RegistryListEntry[]> {
  const out: RegistryListEntry[] = [];
  for (const r of await listRegistries(home)) {
    const s = await readRegistryState(home, r.name);
    out.push({
      name: r.name, url: r.url, keys: r.fingerprints, allowUnsigned: r.allowUnsigned,
      indexVersion: s?.version ?? null, expires: s?.expires ?? null, lastFetched: s?.fetchedAt ?? null, plugins: s?.plugins ?? null,
    });
  }
  return out;
}
