/**
 * Store lifecycle events (DESIGN §4): every store operation announces its event from here, once,
 * after its change is committed and the lock released, whichever command or library call made it.
 * Where events go is injected (the CLI sends them to the other enabled plugins' hooks), so core
 * imports nothing from host/.
 */
import type { BuiltinEvent } from '../hooks/events.js';
import { emitStoreWebhook } from '../webhooks/emit.js';

/** Each store operation and the event it announces: the one place these names are paired. */
export const STORE_EVENTS = {
  install: 'plugin:installed',
  update: 'plugin:installed',
  link: 'plugin:installed',
  enable: 'plugin:enabled',
  disable: 'plugin:disabled',
  uninstall: 'plugin:uninstalled',
} as const satisfies Record<string, BuiltinEvent>;

export type StoreOperation = keyof typeof STORE_EVENTS;
export type StoreEventName = (typeof STORE_EVENTS)[StoreOperation];

/** What handlers of a store event receive: the plugin concerned and what was done to it. */
export interface StoreEventValue {
  name: string;
  version: string;
  operation: StoreOperation;
  /** install, update and link: the version replaced, or null. */
  previousVersion?: string | null;
}

export interface StoreEvent {
  event: StoreEventName;
  home: string;
  value: StoreEventValue;
}

/** Delivers one store event; its failures are its own to report (the store change stands). */
export type StoreEventTransport = (event: StoreEvent) => void | Promise<void>;

let transport: StoreEventTransport | undefined;

/** Sets where this process's store events go (none by default); returns the previous transport. */
export function setStoreEventTransport(next: StoreEventTransport | undefined): StoreEventTransport | undefined {
  const prev = transport;
  transport = next;
  return prev;
}

/**
 * Announces one committed store change: appends it to the webhook outbox (a failure to record
 * it is thrown: the command must not report plain success), then tells the transport, whose
 * failures are never thrown.
 */
export async function announceStoreChange(home: string, operation: StoreOperation, plugin: Omit<StoreEventValue, 'operation'>): Promise<void> {
  await emitStoreWebhook(home, { ...plugin, operation });
  const t = transport;
  if (!t) return;
  try {
    await t({ event: STORE_EVENTS[operation], home, value: { ...plugin, operation } });
  } catch {
    // A listener's failure must not turn a committed change into a failed command.
  }
}
