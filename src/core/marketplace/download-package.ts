import { mkdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { PmError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import type { IndexVersion } from '../index-format/types.js';
import { fetchBytes } from '../net/fetch-bytes.js';
import { resolveRegistryUrl } from '../index-format/urls.js';
import { marketPaths } from './paths.js';
import type { RegistryConfig } from './registries-config.js';

export interface DownloadedPackage {
  /** The package, in the cache, named as the registry names it (the provenance names that file). */
  tgz: string;
  /** Its provenance, or undefined for an unsigned entry. */
  prov?: string;
}

const MAX_PROV_BYTES = 64 * 1024;

/**
 * Fetches one package and its provenance into the cache, downloading at most the size the
 * signed index states and refusing bytes whose size or sha512 differ from the index.
 * A cached copy with the right integrity is reused.
 */
export async function downloadPackage(home: string, reg: RegistryConfig, name: string, version: string, entry: IndexVersion,
  opts: { timeoutMs?: number; retries?: number; onProgress?: (received: number, total?: number) => void; onAttempt?: (url: string, attempt: number, attempts: number, lastError?: string) => void } = {}): Promise<DownloadedPackage> {
  const { integrityOfBytes, integrityOfFile } = await import('../pack/index.js');
  // The file name comes from the index; anything but a plain name falls back to pm's own naming.
  const fromUrl = basename(entry.url.split(/[?#]/)[0]);
  const fileName = /^[A-Za-z0-9][A-Za-z0-9._+-]*\.tgz$/.test(fromUrl) ? fromUrl : `${name}-${version}.tgz`;
  const dir = join(marketPaths(home).packages, Buffer.from(entry.integrity.slice(7), 'base64').toString('hex').slice(0, 32));
  const tgz = join(dir, fileName);
  const id = `${name}@${version}`;

  const cached = await stat(tgz).then((s) => s.size === entry.size, () => false) && (await integrityOfFile(tgz)) === entry.integrity;
  if (!cached) {
    const url = resolveRegistryUrl(reg.name, reg.url, `${id} url`, entry.url);
    let got;
    try {
      const onAttempt = opts.onAttempt;
      got = await fetchBytes(url, {
        maxBytes: entry.size, timeoutMs: opts.timeoutMs, retries: opts.retries, onProgress: opts.onProgress,
        onAttempt: onAttempt ? (attempt, attempts, lastError) => onAttempt(url, attempt, attempts, lastError) : undefined,
      });
    } catch (err) {
      if ((err as PmError).code === 'FETCH_TOO_LARGE') {
        throw new PmError('PACKAGE_SIZE_MISMATCH', `${id} from ${reg.name} is larger than the ${entry.size} bytes the signed index states`, {
          hint: 'the package was replaced after the index was signed; do not install it and tell the registry operator', data: { name, version, registry: reg.name },
        });
      }
      throw err;
    }
    if (got.status !== 'ok') throw new PmError('FETCH_PROTOCOL', `${url}: unexpected not-modified`);
    if (got.body.byteLength !== entry.size) {
      throw new PmError('PACKAGE_SIZE_MISMATCH', `${id} from ${reg.name} is ${got.body.byteLength} bytes, the signed index states ${entry.size}`, {
        hint: 'the package was replaced after the index was signed; do not install it and tell the registry operator', data: { name, version, registry: reg.name },
      });
    }
    const integrity = integrityOfBytes(got.body);
    if (integrity !== entry.integrity) {
      throw new PmError('PACKAGE_INTEGRITY_MISMATCH', `${id} from ${reg.name} does not match the integrity in the signed index`, {
        hint: 'the package was replaced after the index was signed; do not install it and tell the registry operator',
        data: { name, version, registry: reg.name, expected: entry.integrity, actual: integrity },
      });
    }
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(tgz, got.body);
  }
  if (!entry.provenance) return { tgz };
  const provUrl = resolveRegistryUrl(reg.name, reg.url, `${id} provenance`, entry.provenance);
  const p = await fetchBytes(provUrl, { maxBytes: MAX_PROV_BYTES, timeoutMs: opts.timeoutMs, retries: opts.retries });
  if (p.status !== 'ok') throw new PmError('FETCH_PROTOCOL', `${provUrl}: unexpected not-modified`);
  const prov = `${tgz}.prov`;
  // Provenance is small and fetched each time, so a re-signed package is picked up.
  await writeFileAtomic(prov, p.body);
  return { tgz, prov };
}
