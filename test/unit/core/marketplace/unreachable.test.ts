import { describe, expect, it } from 'vitest';
import { PmError } from '../../../../src/core/errors.js';
import { formatAge, unreachableReason } from '../../../../src/core/marketplace/unreachable.js';

describe('unreachableReason', () => {
  it('names refused, DNS and 5xx failures in a few words', () => {
    expect(unreachableReason(new PmError('FETCH_NETWORK', 'x', { data: { reason: 'ECONNREFUSED' } }))).toBe('connection refused');
    expect(unreachableReason(new PmError('FETCH_NETWORK', 'x', { data: { reason: 'ENOTFOUND' } }))).toBe('host not found');
    expect(unreachableReason(new PmError('FETCH_NETWORK', 'x', { data: { reason: 'HTTP 503' } }))).toBe('HTTP 503');
    expect(unreachableReason(new PmError('FETCH_NETWORK', 'x', { data: { reason: 'UND_ERR_SOCKET' } }))).toBe('connection closed');
  });

  it('does not treat a timeout or a verification failure as unreachable (no cache may paper over them)', () => {
    expect(unreachableReason(new PmError('FETCH_TIMEOUT', 'x'))).toBeUndefined();
    expect(unreachableReason(new PmError('INDEX_ROLLBACK', 'x'))).toBeUndefined();
    expect(unreachableReason(new Error('plain'))).toBeUndefined();
  });
});

describe('formatAge', () => {
  it('picks seconds, minutes, hours or days', () => {
    expect([formatAge(40_000), formatAge(12 * 60_000), formatAge(3 * 3_600_000), formatAge(2 * 86_400_000)]).toEqual(['40 s', '12 min', '3 h', '2 days']);
  });
});
