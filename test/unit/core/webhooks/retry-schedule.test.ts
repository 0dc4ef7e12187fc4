import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_MS, isExhausted, retryDelay, retryPolicy } from '../../../../src/core/webhooks/retry-schedule.js';

describe('the retry schedule', () => {
  it('retries for at least 24 hours by default', () => {
    const total = DEFAULT_RETRY_MS.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(24 * 3600_000);
    // Each delay at least as long as the one before: exponential backoff.
    expect([...DEFAULT_RETRY_MS].sort((a, b) => a - b)).toEqual(DEFAULT_RETRY_MS);
  });

  it('adds up to 20 % of jitter, never less than the schedule', () => {
    const p = retryPolicy({ retryMs: [1000, 2000] });
    expect(retryDelay(p, 1, () => 0)).toBe(1000);
    expect(retryDelay(p, 1, () => 0.999)).toBe(1200);
    expect(retryDelay(p, 2, () => 0.5)).toBe(2200);
    // Past the end of the schedule, its last delay repeats.
    expect(retryDelay(p, 9, () => 0)).toBe(2000);
  });

  it('dead-letters only when every attempt was made and the whole schedule has passed', () => {
    const p = retryPolicy({ retryMs: [10, 20] });
    expect(isExhausted(p, 3, 0, 29)).toBe(false);
    expect(isExhausted(p, 2, 0, 1000)).toBe(false);
    expect(isExhausted(p, 3, 0, 30)).toBe(true);
  });

  it('takes the schedule and the attempt timeout from the environment when given', () => {
    expect(retryPolicy({}, { PM_WEBHOOK_RETRY_MS: '5, 10', PM_WEBHOOK_TIMEOUT_MS: '250' })).toEqual({ retryMs: [5, 10], timeoutMs: 250 });
    expect(retryPolicy({}, { PM_WEBHOOK_RETRY_MS: 'soon' }).retryMs).toEqual(DEFAULT_RETRY_MS);
  });
});
