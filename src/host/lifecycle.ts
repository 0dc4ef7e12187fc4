import type { StoreEventValue } from '../core/store/events.js';
import type { LifecycleEvent } from './emit-event.js';
import type { DispatchResult } from './hooks/dispatcher.js';
import { loadHomePlugins } from './home-plugins.js';
import { escapeControl } from './log-text.js';

export interface LifecycleNotice {
  home: string;
  event: LifecycleEvent;
  /** The plugin the store changed; it is never sent its own event (installing runs no plugin code). */
  value: StoreEventValue;
  log?: (message: string) => void;
}

/**
 * Tells the other enabled plugins about a store change (`plugin:installed` …). Reads only
 * manifests unless one of them has a handler: then the host starts just those plugins.
 */
export async function notifyLifecycle(notice: LifecycleNotice): Promise<DispatchResult | undefined> {
  const warn = notice.log ?? (() => {});
  const listeners = (await loadHomePlugins(notice.home, warn, { enabledOnly: true, applyConfig: false })).filter(
    (p) => p.name !== notice.value.name && (p.manifest.contributes?.hooks ?? []).some((h) => h.event === notice.event),
  );
  if (!listeners.length) return undefined;
  // The host (and its process machinery) loads only when someone listens.
  const { emitLifecycleEvent } = await import('./emit-event.js');
  return emitLifecycleEvent({
    home: notice.home,
    event: notice.event,
    value: notice.value,
    exclude: notice.value.name,
    options: { log: ({ plugin, level, message }) => { if (level === 'error' || level === 'warn') warn(escapeControl(plugin ? `[${plugin}] ${message}` : message)); } },
  });
}
