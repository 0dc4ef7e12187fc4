import { hookHandlerDuration } from './pm-metrics.js';
import { hookSpan } from './tracing.js';

/** One hook handler's run: `pm.hook.handler.duration`, and a span under the request when it is traced. */
export function recordHookRun(trace: unknown, event: string, plugin: string, outcome: string, ms: number, error?: string): void {
  hookHandlerDuration.record(ms / 1000, { 'pm.hook.event': event, 'pm.plugin.name': plugin, 'pm.hook.outcome': outcome });
  if (trace !== undefined) hookSpan(trace, event, plugin, outcome, ms, error);
}
