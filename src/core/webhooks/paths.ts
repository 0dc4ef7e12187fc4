import { join } from 'node:path';

/** Where webhooks live in PM_HOME (DESIGN §4): endpoints with their secrets, and the outbox. */
export function webhookPaths(home: string) {
  const outbox = join(home, 'outbox');
  return {
    /** Endpoints and their secrets (mode 0600). */
    endpoints: join(home, 'webhooks.json'),
    outbox,
    /** Append-only segments of events, one file per emitting process. */
    segments: join(outbox, 'events'),
    /** Delivery state per endpoint (written atomically). */
    state: join(outbox, 'state'),
    /** Held by the one process delivering (pm serve or pm webhook-flush). */
    lock: join(outbox, 'deliver.lock'),
  };
}
