import type { Output } from '../output.js';
import type { LifecycleEvent } from '../../host/emit-event.js';

/** After a store change, tells the other enabled plugins; a failing handler never fails the command. */
export async function notifyPlugins(out: Output, home: string, event: LifecycleEvent, value: { name: string; version?: string }): Promise<void> {
  try {
    const { notifyLifecycle } = await import('../../host/lifecycle.js');
    const r = await notifyLifecycle({ home, event, value, log: (m) => out.debug(m) });
    for (const h of r?.handlers ?? []) {
      if (h.outcome === 'error' || h.outcome === 'timeout') out.warn(`the ${event} handler of ${h.plugin} ${h.outcome === 'timeout' ? 'timed out' : `failed${h.error ? `: ${h.error}` : ''}`}`);
    }
  } catch (err) {
    out.warn(`could not tell other plugins about ${event}: ${(err as Error).message}`);
  }
}
