/** One event as the outbox keeps it: a JSON line in a segment file. */
import { randomBytes } from 'node:crypto';

export interface OutboxRecord {
  /** `msg_…`: the webhook-id of every attempt, so receivers can de-duplicate. */
  id: string;
  type: string;
  /** ISO time the event happened. */
  timestamp: string;
  data: Record<string, unknown>;
  /** The endpoints subscribed when it was emitted. */
  to: string[];
  /** Set when `pm webhook-redeliver` queued it again. */
  redelivery?: true;
}

let lastMs = 0;
let counter = 0;

/** A new message id: time-ordered within this process, unique across processes. */
export function newMessageId(): string {
  const now = Date.now();
  counter = now === lastMs ? counter + 1 : 0;
  lastMs = now;
  return `msg_${now.toString(36)}${counter.toString(36).padStart(3, '0')}${randomBytes(6).toString('hex')}`;
}

/** The body sent to `endpoint`: Standard Webhooks' `{ type, timestamp, data }`; tool payloads only where asked for. */
export function webhookBody(rec: Pick<OutboxRecord, 'type' | 'timestamp' | 'data'>, includePayloads: boolean): string {
  let data = rec.data;
  if (!includePayloads && ('arguments' in data || 'result' in data)) {
    const { arguments: _a, result: _r, ...rest } = data;
    data = rest;
  }
  return JSON.stringify({ type: rec.type, timestamp: rec.timestamp, data });
}
