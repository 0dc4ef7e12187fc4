import { readFile } from 'node:fs/promises';
import { PmError, isPmError, type ErrorCode } from '../errors.js';
import { parseUntrustedJson } from '../json/parse-untrusted.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { DEFAULT_MAX_INDEX_BYTES, type RegistryIndex } from '../index-format/types.js';
import { fetchBytes, isHttpUrl } from '../net/fetch-bytes.js';
import { normalizeBase, resolveRegistryUrl } from '../index-format/urls.js';
import { marketPaths } from './paths.js';
import type { RegistryConfig } from './registries-config.js';
import { readRegistryState, writeRegistryState, type RegistryState } from './registry-state.js';
import { verifyIndexSignature } from './index-signature.js';
import { formatAge, unreachableReason } from './unreachable.js';

export interface LoadIndexOptions {
  /** Use the cached index without any network request. */
  offline?: boolean;
  maxBytes?: number;
  timeoutMs?: number;
  retries?: number;
  /** Progress of the index download, for a spinner. */
  onProgress?: (received: number, total?: number) => void;
  /** Ignore the cached copy's validators and download the index again (e.g. after the URL or key changed); the cache never stands in. */
  revalidate?: boolean;
  /** Called before each download attempt, for a progress display. */
  onFetch?: (event: FetchEvent) => void;
  /** "Now", for tests of expiry. */
  now?: Date;
}

/** One download attempt of a registry file or package. */
export interface FetchEvent {
  what: 'index' | 'signature' | 'key' | 'package';
  url: string;
  attempt: number;
  attempts: number;
  /** Why the previous attempt failed. */
  lastError?: string;
}

/** A verified index and how it was obtained. */
export interface LoadedIndex {
  registry: RegistryConfig;
  index: RegistryIndex;
  /** downloaded: new bytes verified; unchanged: the server said 304 (or the file did not change); cache: --offline, or the registry was unreachable. */
  from: 'downloaded' | 'unchanged' | 'cache';
  /** Why the registry could not be reached when its cache stood in (e.g. "connection refused"). */
  unreachable?: string;
  /** Milliseconds since the index was last fetched or confirmed. */
  ageMs: number;
  state: RegistryState;
  /** Warnings the caller should show (e.g. an expired cache used offline). */
  warnings: string[];
}

const MAX_SIGNATURE_BYTES = 64 * 1024;

function location(reg: RegistryConfig, file: string): string {
  return isHttpUrl(reg.url) ? new URL(file, normalizeBase(reg.url)).href : `${reg.url.replace(/\/+$/, '')}/${file}`;
}

function verificationError(code: ErrorCode, message: string, hint: string, data: Record<string, unknown>): PmError {
  return new PmError(code, message, { hint, data });
}

/** Parses index bytes, checking schema, URL fields, expiry and rollback against the last trusted state. */
export async function checkIndex(reg: RegistryConfig, bytes: Uint8Array, previous: RegistryState | undefined, now: Date, maxBytes = DEFAULT_MAX_INDEX_BYTES): Promise<RegistryIndex> {
  let index: RegistryIndex;
  try {
    index = parseUntrustedJson(bytes, { what: 'index.json', maxBytes }) as RegistryIndex;
  } catch (err) {
    throw verificationError('INDEX_INVALID', `registry ${reg.name}: index.json is not usable JSON: ${(err as Error).message}`, 'report it to the registry operator', { registry: reg.name, ...(isPmError(err) ? { reason: err.code } : {}) });
  }
  // ajv is loaded only when new bytes arrive, so reading a cached index stays fast.
  const { checkIndexSchema } = await import('../index-format/check-schema.js');
  checkIndexSchema(reg.name, index);
  if (index.url !== undefined && isHttpUrl(reg.url) && normalizeBase(index.url) !== normalizeBase(reg.url)) {
    throw verificationError('INDEX_FOREIGN_URL', `registry ${reg.name}: the index belongs to ${index.url}, not ${reg.url}`,
      "an index from another registry was served here; if the registry moved, run 'pm marketplace-add' with its new URL", { registry: reg.name, url: index.url });
  }
  for (const [name, p] of Object.entries(index.plugins)) {
    if (!p.versions[p.latest]) throw verificationError('INDEX_INVALID', `registry ${reg.name}: ${name}'s latest version ${p.latest} is not listed`, 'report it to the registry operator', { registry: reg.name, name });
    for (const [v, e] of Object.entries(p.versions)) {
      resolveRegistryUrl(reg.name, reg.url, `${name}@${v} url`, e.url);
      if (e.provenance) resolveRegistryUrl(reg.name, reg.url, `${name}@${v} provenance`, e.provenance);
    }
  }
  if (index.expires !== null && Date.parse(index.expires) <= now.getTime()) {
    throw verificationError('INDEX_EXPIRED', `registry ${reg.name}: the index expired at ${index.expires} (version ${index.version})`,
      'the registry may be frozen by an attacker or its operator forgot to re-sign it; try again later or tell the operator', { registry: reg.name, expires: index.expires, version: index.version });
  }
  if (previous && index.version < previous.version) {
    throw verificationError('INDEX_ROLLBACK', `registry ${reg.name}: index version ${index.version} is older than version ${previous.version} already trusted`,
      'someone is serving an old index (rollback attack) or the operator rebuilt it from an old copy; do not install from it until the version is back', { registry: reg.name, version: index.version, trusted: previous.version });
  }
  return index;
}

async function readCache(home: string, reg: RegistryConfig): Promise<string | undefined> {
  try {
    // Read as text in one step: a Buffer copy of a large index costs more than the parse saves.
    return await readFile(marketPaths(home, reg.name).cachedIndex, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function parseCached(reg: RegistryConfig, text: string): RegistryIndex {
  try {
    return parseUntrustedJson(text, { what: 'index.json', maxBytes: Number.MAX_SAFE_INTEGER }) as RegistryIndex; // size was capped when it was fetched
  } catch {
    throw new PmError('CACHE_INVALID', `the cached index of ${reg.name} is damaged`, { hint: 'run the command again without --offline to download it' });
  }
}

/**
 * Returns a registry's index, verified: downloads it with a size cap, timeout and retries
 * (conditional on the cached copy's ETag/Last-Modified), checks the detached signature over
 * the exact bytes against the pinned keys before parsing, then refuses rollback, freeze and
 * foreign URLs, and records the new trusted version. `offline` reads the cache only.
 */
export async function loadIndex(home: string, reg: RegistryConfig, opts: LoadIndexOptions = {}): Promise<LoadedIndex> {
  const now = opts.now ?? new Date();
  const previous = await readRegistryState(home, reg.name);
  const cached = previous ? await readCache(home, reg) : undefined;
  const conditional = cached !== undefined && !opts.revalidate;

  if (opts.offline) {
    if (!cached || !previous) {
      throw new PmError('INDEX_NOT_CACHED', `registry ${reg.name} has no cached index`, { hint: 'run the command once without --offline to download it' });
    }
    const index = parseCached(reg, cached);
    const expired = expiry(index, now);
    return { registry: reg, index, from: 'cache', ageMs: now.getTime() - Date.parse(previous.fetchedAt), state: previous, warnings: expired ? [`the cached index of ${reg.name} expired at ${expired}`] : [] };
  }

  try {
    return await loadOnline(home, reg, opts, { now, previous, cached, conditional });
  } catch (err) {
    const reason = unreachableReason(err);
    if (!reason || opts.revalidate) throw err;
    const expired = cached && previous ? expiry(parseCached(reg, cached), now) : undefined;
    if (!cached || !previous || expired) {
      const e = err as PmError;
      // The hint fits what is on disk: no --offline advice for an index that was never cached.
      const options = {
        hint: expired ? `its cached index expired at ${expired}; --offline would use it anyway, with a warning` : 'check your network and the registry URL (pm marketplace-list); there is no cached index to fall back on',
        data: { ...e.data, registry: reg.name, reason, cache: expired ? 'expired' : 'none' }, cause: e.cause,
      };
      throw e.code === 'FETCH_NOT_FOUND' ? new PmError('FETCH_NOT_FOUND', e.message, options) : new PmError('FETCH_NETWORK', e.message, options);
    }
    // Each registry fails alone: a verified, unexpired cache stands in for an unreachable server.
    const ageMs = now.getTime() - Date.parse(previous.fetchedAt);
    const warning = `registry ${reg.name} unreachable (${reason}); using its cache from ${formatAge(ageMs)} ago`;
    return { registry: reg, index: parseCached(reg, cached), from: 'cache', unreachable: reason, ageMs, state: previous, warnings: [warning] };
  }
}

/** The expiry date of an index that has expired by `now`, else undefined. */
function expiry(index: RegistryIndex, now: Date): string | undefined {
  return index.expires !== null && Date.parse(index.expires) <= now.getTime() ? index.expires : undefined;
}

async function loadOnline(home: string, reg: RegistryConfig, opts: LoadIndexOptions,
  ctx: { now: Date; previous?: RegistryState; cached?: string; conditional: boolean }): Promise<LoadedIndex> {
  const { now, previous, cached, conditional } = ctx;
  const paths = marketPaths(home, reg.name);
  const warnings: string[] = [];
  const indexUrl = location(reg, 'index.json');
  const got = await fetchBytes(indexUrl, {
    maxBytes: opts.maxBytes ?? DEFAULT_MAX_INDEX_BYTES,
    timeoutMs: opts.timeoutMs,
    retries: opts.retries,
    etag: conditional ? previous?.etag : undefined,
    lastModified: conditional ? previous?.lastModified : undefined,
    onProgress: opts.onProgress,
    onAttempt: opts.onFetch ? (attempt, attempts, lastError) => opts.onFetch!({ what: 'index', url: indexUrl, attempt, attempts, lastError }) : undefined,
    // Advice that fits: --offline only helps when there is a cached index.
    hints: cached === undefined ? { timeout: 'the registry did not answer in time; try again later or raise --timeout', network: 'check your network and the registry URL (pm marketplace-list)' } : undefined,
  });

  if (got.status === 'not-modified' && cached && previous) {
    // The bytes were verified when they were cached; only time-based checks can change.
    const index = parseCached(reg, cached);
    if (index.expires !== null && Date.parse(index.expires) <= now.getTime()) {
      throw verificationError('INDEX_EXPIRED', `registry ${reg.name}: the index expired at ${index.expires} (version ${index.version})`,
        'the registry may be frozen by an attacker or its operator forgot to re-sign it; try again later or tell the operator', { registry: reg.name, expires: index.expires, version: index.version });
    }
    const state = { ...previous, fetchedAt: now.toISOString() };
    await writeRegistryState(home, reg.name, state);
    return { registry: reg, index, from: 'unchanged', ageMs: 0, state, warnings };
  }
  if (got.status !== 'ok') throw new PmError('FETCH_PROTOCOL', `registry ${reg.name}: unexpected "not modified" without a cached index`, { hint: 'try again' });

  const bytes = got.body;
  let signer: string | null = null;
  let signature: Uint8Array | undefined;
  if (reg.keys.length > 0) {
    signature = await fetchSignature(reg, opts);
    signer = await verifyIndexSignature(reg, bytes, Buffer.from(signature).toString('utf8'));
  } else if (!reg.allowUnsigned) {
    throw verificationError('INDEX_UNSIGNED', `registry ${reg.name} has no pinned key`, "add it again with --key <file|fingerprint>, or --allow-unsigned if you accept an unsigned registry", { registry: reg.name });
  }

  const index = await checkIndex(reg, bytes, previous, now, opts.maxBytes ?? DEFAULT_MAX_INDEX_BYTES);
  if (previous && index.version === previous.version && cached !== undefined && !Buffer.from(cached, 'utf8').equals(Buffer.from(bytes))) {
    throw verificationError('INDEX_ROLLBACK', `registry ${reg.name}: index version ${index.version} was already trusted with different content`,
      'a registry must increase the version whenever the index changes; tell the operator', { registry: reg.name, version: index.version });
  }

  const state: RegistryState = {
    version: index.version, expires: index.expires, generatedAt: index.generatedAt, fetchedAt: now.toISOString(), signer,
    ...(got.etag ? { etag: got.etag } : {}), ...(got.lastModified ? { lastModified: got.lastModified } : {}),
    plugins: Object.keys(index.plugins).length,
  };
  // Under the store lock, so a slower pm that fetched an older index cannot lower the trusted version.
  const { withStoreLock } = await import('../store/lock.js');
  await withStoreLock(home, async () => {
    const current = await readRegistryState(home, reg.name);
    if (current && index.version < current.version) {
      throw verificationError('INDEX_ROLLBACK', `registry ${reg.name}: index version ${index.version} is older than version ${current.version} already trusted`,
        'someone is serving an old index (rollback attack) or the operator rebuilt it from an old copy; do not install from it until the version is back', { registry: reg.name, version: index.version, trusted: current.version });
    }
    // Cache first, state last: the state is what later runs trust.
    await writeFileAtomic(paths.cachedIndex, bytes);
    if (signature) await writeFileAtomic(paths.cachedSignature, signature);
    await writeRegistryState(home, reg.name, state);
  });
  return { registry: reg, index, from: 'downloaded', ageMs: 0, state, warnings };
}

async function fetchSignature(reg: RegistryConfig, opts: LoadIndexOptions): Promise<Uint8Array> {
  const url = location(reg, 'index.json.asc');
  try {
    const r = await fetchBytes(url, {
      maxBytes: MAX_SIGNATURE_BYTES, timeoutMs: opts.timeoutMs, retries: opts.retries,
      onAttempt: opts.onFetch ? (attempt, attempts, lastError) => opts.onFetch!({ what: 'signature', url, attempt, attempts, lastError }) : undefined,
    });
    if (r.status !== 'ok') throw new Error('unexpected not-modified');
    return r.body;
  } catch (err) {
    const e = err as PmError;
    if (e.code === 'FETCH_NOT_FOUND' || (e.code === 'FETCH_HTTP' && e.data?.status === 404)) {
      throw verificationError('INDEX_SIGNATURE_MISSING', `registry ${reg.name}: index.json.asc is missing but the registry's key is pinned`,
        'the index may have been replaced by someone without the key; do not install from it, and tell the operator', { registry: reg.name });
    }
    throw err;
  }
}
