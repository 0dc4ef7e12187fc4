import { PmError } from '../core/errors.js';
import { BUILTIN_EVENTS } from '../core/hooks/events.js';
import type { StoreEventName } from '../core/store/events.js';
import { createHost, type HostOptions } from './host.js';
import type { DispatchResult } from './hooks/dispatcher.js';
import { loadHomePlugins } from './home-plugins.js';

/** The lifecycle events the store announces (core/store/events.ts pairs them with operations). */
export type LifecycleEvent = StoreEventName;

/**
 * Emits one lifecycle action event (e.g. `plugin:installed` after an install) to the
 * enabled plugins of PM_HOME: starts only the plugins with a matching handler, waits for
 * them, stops them, and saves hook stats. Handler failures are recorded, never thrown.
 */
export async function emitLifecycleEvent(opts: { home: string; event: LifecycleEvent; value: unknown; exclude?: string; options?: HostOptions }): Promise<DispatchResult> {
  if (BUILTIN_EVENTS[opts.event] !== 'action') throw new PmError('HOOK_EVENT_INVALID', `${opts.event} is not a lifecycle action event`);
  const plugins = opts.exclude === undefined ? undefined : (await loadHomePlugins(opts.home)).filter((p) => p.name !== opts.exclude);
  const host = await createHost({ home: opts.home, plugins, options: opts.options });
  try {
    return await host.hooks.dispatch(opts.event, opts.value, {}, { trace: true });
  } finally {
    await host.close();
  }
}
