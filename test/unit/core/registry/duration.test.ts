import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../../../src/core/registry/duration.js';

describe('parseDuration', () => {
  it('reads minutes, hours, days, weeks and never', () => {
    expect(parseDuration('90m')).toBe(90 * 60_000);
    expect(parseDuration('12h')).toBe(12 * 3_600_000);
    expect(parseDuration('30d')).toBe(30 * 86_400_000);
    expect(parseDuration('2w')).toBe(14 * 86_400_000);
    expect(parseDuration('never')).toBeNull();
  });

  it.each(['', '30', 'd', '0d', '1y', '-1d', '1.5d'])('refuses "%s" as a usage error', (t) => {
    expect(() => parseDuration(t)).toThrow(expect.objectContaining({ code: 'USAGE', kind: 'usage', message: `"${t}" is not a duration` }));
  });
});
