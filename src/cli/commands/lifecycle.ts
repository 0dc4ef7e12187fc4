import type { Output } from '../output.js';
import type { StoreEventTransport } from '../../core/store/events.js';

/**
 * The CLI's transport for store events (core/store announces them): tells the other enabled
 * plugins; a failing handler is a warning, never a failed command.
 */
export function notifyPlugins(out: Output): StoreEventTransport {
  return async ({ home, event, value }) => {
    try {
      const { notifyLifecycle } = await import('../../host/lifecycle.js');
      const r = await notifyLifecycle({ home, event, value, log: (m) => out.debug(m) });
      for (const h of r?.handlers ?? []) {
        if (h.outcome === 'error' || h.outcome === 'timeout') out.warn(`the ${event} handler of ${h.plugin} ${h.outcome === 'timeout' ? 'timed out' : `failed${h.error ? `: ${h.error}` : ''}`}`);
      }
    } catch (err) {
      out.warn(`could not tell other plugins about ${event}: ${(err as Error).message}`);
    }
  };
}
