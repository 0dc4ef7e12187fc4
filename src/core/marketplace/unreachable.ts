import { isPmError } from '../errors.js';

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'connection closed',
  ETIMEDOUT: 'timed out',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOENT: 'folder not found',
  EACCES: 'folder not readable',
};

/**
 * Why a registry could not be reached, in a few words, when `err` says so (refused, reset,
 * DNS, 5xx after retries, an unreadable folder); undefined for every other error, notably
 * timeouts and verification failures, which must not be papered over with a cache.
 */
export function unreachableReason(err: unknown): string | undefined {
  if (!isPmError(err)) return undefined;
  if (err.code !== 'FETCH_NETWORK' && err.code !== 'FETCH_NOT_FOUND') return undefined;
  return describeNetworkReason(String(err.data?.reason ?? err.data?.code ?? ''));
}

/** An errno code or "HTTP 503" from core/net, in a few words for people. */
export function describeNetworkReason(code: string | undefined): string {
  return (code && REASONS[code]) || code || 'network error';
}

/** A duration for people: "40 s", "12 min", "3 h", "2 days". */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  if (s < 129600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86400)} days`;
}
