import { isAbsolute, join, normalize, sep } from 'node:path';
import { PmError } from '../errors.js';
import { isHttpUrl } from '../net/fetch-bytes.js';

/** A registry base with exactly one trailing slash, so relative resolution stays under it. */
export function normalizeBase(url: string): string {
  return isHttpUrl(url) ? url.replace(/\/*$/, '/') : url;
}

function refused(registry: string, field: string, value: string): PmError {
  return new PmError('INDEX_FOREIGN_URL', `registry ${registry}: ${field} points outside the registry: ${value}`, {
    hint: 'the index tries to send pm elsewhere; report it to the registry operator and do not install from it',
    data: { registry, field, value },
  });
}

/**
 * Resolves a URL field of an index against the registry's location and refuses one that
 * leaves it: another host, a `..` escape, an absolute path, or another scheme.
 */
export function resolveRegistryUrl(registry: string, base: string, field: string, value: string): string {
  if (isHttpUrl(base)) {
    const b = new URL(normalizeBase(base));
    let u: URL;
    try {
      u = new URL(value, b);
    } catch {
      throw refused(registry, field, value);
    }
    if (u.origin !== b.origin || !u.pathname.startsWith(b.pathname) || /(^|\/)\.\.(\/|$)/.test(value) || value.includes('\\')) throw refused(registry, field, value);
    return u.href;
  }
  // A folder registry: only relative paths below the folder.
  if (/^[a-z][a-z0-9+.-]*:/i.test(value) || isAbsolute(value) || value.includes('\\')) throw refused(registry, field, value);
  const rel = normalize(value);
  if (rel === '..' || rel.startsWith(`..${sep}`)) throw refused(registry, field, value);
  return join(base, rel);
}
