/** `pm webhook-flush`: delivers everything pending now, retrying with a short backoff until done or the timeout. */
import { setTimeout as sleep } from 'node:timers/promises';
import { PmError } from '../errors.js';
import { tryDeliverLock } from './deliver-lock.js';
import { DeliveryWorker, type WorkerOptions } from './deliver-worker.js';
import { pendingCounts } from './deliveries.js';

export interface FlushResult {
  delivered: number;
  failedAttempts: number;
  deadLettered: number;
  /** Undelivered events left, per endpoint (only those with some). */
  left: Record<string, number>;
  /** Set when a running pm (serve) was delivering and this command only waited for it. */
  deliveredBy?: number;
}

/** Flushes the outbox; throws WEBHOOK_FLUSH_INCOMPLETE (with the result as data) when anything is left. */
export interface FlushOptions extends Pick<WorkerOptions, 'retryMs' | 'log'> {
  /** The whole flush's time limit. */
  timeoutMs: number;
  /** One attempt's time limit (default: the retry policy's). */
  attemptTimeoutMs?: number;
}

export async function flushWebhooks(home: string, opts: FlushOptions): Promise<FlushResult> {
  const deadline = Date.now() + opts.timeoutMs;
  let lock = await tryDeliverLock(home);
  let result: FlushResult | undefined;
  // Another pm (serve) delivers: wait for it to empty the queues, or take over if it stops.
  while ('heldBy' in lock) {
    const left = await pendingCounts(home);
    if (!total(left) || Date.now() >= deadline) {
      result = { delivered: 0, failedAttempts: 0, deadLettered: 0, left, deliveredBy: lock.heldBy.pid || undefined };
      break;
    }
    await sleep(Math.min(200, Math.max(1, deadline - Date.now())));
    lock = await tryDeliverLock(home);
  }
  if (!('heldBy' in lock)) {
    const counts = { delivered: 0, failedAttempts: 0 };
    const worker = new DeliveryWorker(home, {
      mode: 'flush', retryMs: opts.retryMs, timeoutMs: opts.attemptTimeoutMs, log: opts.log,
      onAttempt: (a) => (a.ok ? counts.delivered++ : counts.failedAttempts++),
    });
    try {
      const before = await deadCount(home);
      await worker.scan();
      const timer = setTimeout(() => void worker.stop(), Math.max(0, deadline - Date.now()));
      await worker.run();
      clearTimeout(timer);
      const left = Object.fromEntries(Object.entries(worker.pending()).filter(([, n]) => n > 0));
      await worker.stop();
      result = { ...counts, deadLettered: (await deadCount(home)) - before, left };
    } finally {
      await worker.stop();
      await lock.release();
    }
  }
  if (!result) throw new Error('unreachable: flush ended without a result');
  const n = total(result.left);
  if (n) {
    throw new PmError('WEBHOOK_FLUSH_INCOMPLETE', `${n} webhook event${n === 1 ? '' : 's'} still undelivered after ${Math.round(opts.timeoutMs / 1000)} s${result.deliveredBy ? ` (pm process ${result.deliveredBy} is delivering them)` : ''}`, {
      hint: "see why with 'pm webhook-deliveries --failed'; they stay queued and are retried", data: { ...result },
    });
  }
  return result;
}

function total(left: Record<string, number>): number {
  return Object.values(left).reduce((a, b) => a + b, 0);
}

async function deadCount(home: string): Promise<number> {
  const { readEndpoints } = await import('./endpoints.js');
  const { readEndpointState } = await import('./outbox-state.js');
  let n = 0;
  for (const ep of await readEndpoints(home)) n += (await readEndpointState(home, ep.id)).dead.length;
  return n;
}
