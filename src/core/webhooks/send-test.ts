/** `pm webhook-test`: one signed `webhook.test` event sent now, outside the outbox, and the receiver's answer. */
import { PmError } from '../errors.js';
import { postWebhook } from './deliver-http.js';
import { findEndpoint, readEndpoints } from './endpoints.js';
import { TEST_EVENT_TYPE } from './event-types.js';
import { newMessageId, webhookBody } from './outbox-record.js';
import { retryPolicy } from './retry-schedule.js';
import { webhookHeaders } from './signature.js';

export interface TestResult {
  endpoint: string;
  url: string;
  event: string;
  status?: number;
  ms: number;
}

/** Sends the test event; throws WEBHOOK_TEST_FAILED when the receiver does not answer 2xx. */
export async function sendTestEvent(home: string, id: string, opts: { timeoutMs?: number } = {}): Promise<TestResult> {
  const ep = findEndpoint(await readEndpoints(home), id);
  const event = newMessageId();
  const body = webhookBody({ type: TEST_EVENT_TYPE, timestamp: new Date().toISOString(), data: { endpoint: ep.id, message: 'a test event sent by pm webhook-test' } }, false);
  const started = performance.now();
  const r = await postWebhook(ep.url, body, webhookHeaders(ep.secret, event, body), { timeoutMs: opts.timeoutMs ?? retryPolicy().timeoutMs });
  const result: TestResult = { endpoint: ep.id, url: ep.url, event, status: r.status, ms: Math.round(performance.now() - started) };
  if (!r.ok) {
    throw new PmError('WEBHOOK_TEST_FAILED', `${ep.url} did not accept the test event: ${r.error}`, {
      hint: 'check that the receiver is running and answers 2xx without redirecting; pm verifies nothing else', data: { ...result, error: r.error },
    });
  }
  return result;
}
