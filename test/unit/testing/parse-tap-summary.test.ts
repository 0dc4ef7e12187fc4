import { describe, expect, it } from 'vitest';
import { parseTapSummary } from '../../../src/testing/parse-tap-summary.js';

describe('parseTapSummary', () => {
  it('reads the counts at the end of a TAP report', () => {
    const tap = 'TAP version 13\nok 1 - a\nnot ok 2 - b\n1..2\n# tests 3\n# suites 0\n# pass 1\n# fail 1\n# cancelled 0\n# skipped 1\n# todo 0\n# duration_ms 5\n';
    expect(parseTapSummary(tap)).toEqual({ tests: 3, pass: 1, fail: 1, skipped: 1, todo: 0, cancelled: 0 });
  });

  it('is undefined when the report has no summary (the runner died)', () => {
    expect(parseTapSummary('TAP version 13\nok 1 - a\n')).toBeUndefined();
    expect(parseTapSummary('')).toBeUndefined();
  });

  it('takes the last summary when a watch run printed several', () => {
    expect(parseTapSummary('# tests 1\n# pass 1\n# tests 2\n# pass 0\n# fail 2\n')?.fail).toBe(2);
  });
});
