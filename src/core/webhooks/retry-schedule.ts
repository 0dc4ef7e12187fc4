/**
 * When failed deliveries are tried again. The default follows Standard Webhooks' reference
 * schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h after each failure (8 attempts over
 * about 28 h), each delay stretched by up to 20 % of jitter; then the event is dead-lettered.
 */
export const DEFAULT_RETRY_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

/** Default time one attempt may take. */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 10_000;

export interface RetryPolicy {
  retryMs: number[];
  timeoutMs: number;
}

function numbers(raw: string | undefined): number[] | undefined {
  if (!raw) return undefined;
  const list = raw.split(',').map((s) => Number(s.trim()));
  return list.length && list.every((n) => Number.isFinite(n) && n >= 0) ? list : undefined;
}

/** The policy: given options, else $PM_WEBHOOK_RETRY_MS (comma list) and $PM_WEBHOOK_TIMEOUT_MS, else the defaults. */
export function retryPolicy(o: Partial<RetryPolicy> = {}, env: NodeJS.ProcessEnv = process.env): RetryPolicy {
  return {
    retryMs: o.retryMs ?? numbers(env.PM_WEBHOOK_RETRY_MS) ?? DEFAULT_RETRY_MS,
    timeoutMs: o.timeoutMs ?? (Number(env.PM_WEBHOOK_TIMEOUT_MS) || DEFAULT_ATTEMPT_TIMEOUT_MS),
  };
}

/** Delay after the `attempts`-th failure (1-based), jittered upwards so the schedule never shrinks. */
export function retryDelay(policy: RetryPolicy, attempts: number, random = Math.random): number {
  const base = policy.retryMs[Math.min(attempts, policy.retryMs.length) - 1] ?? 0;
  return Math.round(base * (1 + 0.2 * random()));
}

/** Short backoff of webhook-flush: 50 ms doubling to 1 s, jittered. */
export function flushDelay(failuresThisRun: number, random = Math.random): number {
  return Math.round(Math.min(1000, 50 * 2 ** Math.max(0, failuresThisRun - 1)) * (0.5 + random()));
}

/** Whether a failed event has used its schedule: every attempt made and the whole schedule's time passed. */
export function isExhausted(policy: RetryPolicy, attempts: number, firstAttemptAt: number, now: number): boolean {
  const total = policy.retryMs.reduce((a, b) => a + b, 0);
  return attempts > policy.retryMs.length && now - firstAttemptAt >= total;
}
