import { describe, expect, it } from 'vitest';
import { parseSince } from '../../../src/host/stats-window.js';

describe('parseSince', () => {
  const now = Date.parse('2026-12-02T12:00:00Z');
  it('turns minutes, hours and days into the window start, and all into no start', () => {
    expect(parseSince('30m', now)!.toISOString()).toBe('2026-12-02T11:30:00.000Z');
    expect(parseSince('24h', now)!.toISOString()).toBe('2026-12-01T12:00:00.000Z');
    expect(parseSince('7d', now)!.toISOString()).toBe('2026-11-25T12:00:00.000Z');
    expect(parseSince('all', now)).toBeUndefined();
  });
  it('refuses anything else as a usage error with a hint', () => {
    for (const bad of ['', '24', 'h', '0h', '-1d', '1.5h', '1w', 'yesterday']) {
      expect(() => parseSince(bad, now)).toThrow(expect.objectContaining({ code: 'USAGE', hint: expect.stringContaining('30m, 24h, 7d') }));
    }
  });
});
