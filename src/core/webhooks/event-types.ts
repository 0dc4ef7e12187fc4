/**
 * Webhook event types (Standard Webhooks `type`): the one table of names, what each announces,
 * and which store operation emits it. `*` subscribes to every type that is not opt-in.
 */
import type { StoreOperation } from '../store/events.js';

export const WEBHOOK_EVENT_TYPES = {
  'plugin.installed': { about: 'a plugin was installed (or linked)', optIn: false },
  'plugin.updated': { about: 'an installed plugin was replaced by another version', optIn: false },
  'plugin.enabled': { about: 'a plugin was enabled', optIn: false },
  'plugin.disabled': { about: 'a plugin was disabled', optIn: false },
  'plugin.uninstalled': { about: 'a plugin was uninstalled', optIn: false },
  'plugin.crashed': { about: "a plugin's process exited unexpectedly (pm serve restarts it with backoff)", optIn: false },
  'plugin.failed': { about: 'a plugin crashed too often and was marked failed', optIn: false },
  'plugin.tools-changed': { about: "a server plugin reported tools that differ from its pinned list", optIn: false },
  'server.started': { about: 'pm serve started serving', optIn: false },
  'server.stopping': { about: 'pm serve is stopping', optIn: false },
  // Opt-in: one event per tool call is a lot of traffic; named explicitly, never part of `*`.
  'tool.called': { about: 'a tool call finished (name, outcome, duration; arguments and result only with --include-payloads)', optIn: true },
} as const satisfies Record<string, { about: string; optIn: boolean }>;

export type WebhookEventType = keyof typeof WEBHOOK_EVENT_TYPES;

/** Sent by `pm webhook-test` only; never written to the outbox, so it cannot be subscribed to. */
export const TEST_EVENT_TYPE = 'webhook.test';

/** The webhook type each store operation announces (the store's hook events pair install and update; webhooks tell them apart). */
export const STORE_OPERATION_TYPES = {
  install: 'plugin.installed',
  update: 'plugin.updated',
  link: 'plugin.installed',
  enable: 'plugin.enabled',
  disable: 'plugin.disabled',
  uninstall: 'plugin.uninstalled',
} as const satisfies Record<StoreOperation, WebhookEventType>;

/** Whether `name` is a webhook event type. */
export function isWebhookEventType(name: string): name is WebhookEventType {
  return Object.hasOwn(WEBHOOK_EVENT_TYPES, name);
}

/** Whether an endpoint subscribed to `events` receives `type`. */
export function subscribes(events: readonly string[], type: string): boolean {
  if (events.includes(type)) return true;
  return events.includes('*') && isWebhookEventType(type) && !WEBHOOK_EVENT_TYPES[type].optIn;
}
