/**
 * Emitting a webhook event: appended (fsync'd) to the outbox of PM_HOME when at least one
 * endpoint subscribes to it, before the caller reports success. Any process may emit.
 */
import { stat } from 'node:fs/promises';
import { PmError } from '../errors.js';
import type { StoreOperation, StoreEventValue } from '../store/events.js';
import { readEndpoints, type WebhookEndpoint } from './endpoints.js';
import { STORE_OPERATION_TYPES, subscribes, type WebhookEventType } from './event-types.js';
import { newMessageId, type OutboxRecord } from './outbox-record.js';
import { outboxWriter } from './outbox-writer.js';
import { webhookPaths } from './paths.js';

/** webhooks.json per home, re-read when its size or mtime changes (a tool call must not parse it each time). */
const cache = new Map<string, { stamp: string; endpoints: WebhookEndpoint[] }>();

async function endpointsOf(home: string): Promise<WebhookEndpoint[]> {
  const s = await stat(webhookPaths(home).endpoints).catch(() => undefined);
  if (!s) return [];
  const stamp = `${s.mtimeMs}:${s.size}:${s.ino}`;
  const hit = cache.get(home);
  if (hit?.stamp === stamp) return hit.endpoints;
  const endpoints = await readEndpoints(home);
  cache.set(home, { stamp, endpoints });
  return endpoints;
}

/**
 * Records one event for the endpoints subscribed to it; settles once it is on disk.
 * Returns the record, or null when nobody subscribes.
 */
export async function emitWebhookEvent(home: string, type: WebhookEventType, data: Record<string, unknown>): Promise<OutboxRecord | null> {
  const to = (await endpointsOf(home)).filter((e) => subscribes(e.events, type)).map((e) => e.id);
  if (!to.length) return null;
  const rec: OutboxRecord = { id: newMessageId(), type, timestamp: new Date().toISOString(), data, to };
  await outboxWriter(home).append([rec]);
  return rec;
}

const DONE: Record<StoreOperation, string> = { install: 'installed', update: 'updated', link: 'linked', enable: 'enabled', disable: 'disabled', uninstall: 'uninstalled' };

/** The store's part: one committed change's event; a failure names the change that stands. */
export async function emitStoreWebhook(home: string, value: StoreEventValue): Promise<void> {
  const data: Record<string, unknown> = { plugin: value.name, version: value.version, operation: value.operation };
  if (value.previousVersion !== undefined) data.previousVersion = value.previousVersion;
  try {
    await emitWebhookEvent(home, STORE_OPERATION_TYPES[value.operation], data);
  } catch (err) {
    throw new PmError('WEBHOOK_OUTBOX_FAILED', `${value.name} was ${DONE[value.operation]}, but its webhook event could not be recorded: ${(err as Error).message}`, {
      hint: 'free disk space or fix PM_HOME/outbox (and webhooks.json), then check with pm webhook-list', data: { plugin: value.name, operation: value.operation },
    });
  }
}
