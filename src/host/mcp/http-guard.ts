import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

const normOrigin = (o: string) => o.trim().toLowerCase().replace(/\/$/, '');

/** Whether `host` (a bind address or name) only ever reaches this machine. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  if (h.startsWith('::ffff:')) return isLoopback(h.slice(7));
  return isIP(h) === 4 && h.startsWith('127.');
}

/** The host names (IPv6 in brackets) a request may name in Host and Origin. */
export function allowedNames(bind: string, extra: string[] = []): Set<string> {
  const bracket = (h: string) => (h.includes(':') && !h.startsWith('[') ? `[${h}]` : h).toLowerCase();
  const names = new Set(['localhost', '127.0.0.1', '[::1]']);
  // The wildcard addresses are not names anyone reaches the server by.
  if (bind !== '0.0.0.0' && bind !== '::') names.add(bracket(bind));
  for (const e of extra) names.add(bracket(e));
  return names;
}

/**
 * DNS-rebinding protection: the Host header must name this server by an allowed name and
 * its port. A page on evil.example that rebinds its name to 127.0.0.1 still sends
 * `Host: evil.example`.
 */
export function hostAllowed(header: string | undefined, names: Set<string>, port: number): boolean {
  if (!header) return false;
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d+))?$/.exec(header.trim().toLowerCase());
  if (!m) return false;
  if (m[2] !== undefined && Number(m[2]) !== port) return false;
  return names.has(m[1]);
}

/**
 * A request from a browser carries Origin: it must be a page on an allowed name (any port,
 * e.g. a local inspector) or listed with --allow-origin. Clients that are not browsers send
 * no Origin and pass.
 */
export function originAllowed(header: string | undefined, names: Set<string>, extra: string[] = []): boolean {
  if (header === undefined) return true;
  const o = normOrigin(header);
  if (extra.some((e) => normOrigin(e) === o)) return true;
  let url: URL;
  try {
    url = new URL(o);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && names.has(url.hostname);
}

/**
 * The origin to grant CORS to: only one listed with --allow-origin. Local pages that merely
 * pass originAllowed get no grant, so a random page on localhost cannot read pm's answers.
 */
export function corsOrigin(header: string | undefined, extra: string[] = []): string | undefined {
  if (header === undefined) return undefined;
  return extra.some((e) => normOrigin(e) === normOrigin(header)) ? header.trim() : undefined;
}

/** What a browser needs to send MCP requests from `origin` and read the session id. */
export function corsHeaders(origin: string): Record<string, string> {
  return {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': 'Mcp-Session-Id',
    vary: 'Origin',
  };
}

/** The answer to a CORS preflight from an allowed origin. */
export function preflightHeaders(origin: string): Record<string, string> {
  return {
    ...corsHeaders(origin),
    'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
    'access-control-allow-headers': 'content-type, authorization, mcp-session-id, mcp-protocol-version, last-event-id',
    'access-control-max-age': '600',
  };
}

/** Compares a presented bearer token with the expected one in constant time. */
export function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m) return false;
  // Hash both so the comparison takes the same time whatever the lengths.
  const a = createHash('sha256').update(m[1]).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b);
}
