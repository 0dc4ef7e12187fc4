/**
 * Webhooks inside `pm serve`: the delivery worker runs in the background (a slow receiver
 * delays only its own endpoint, never a request), server and tool events are emitted, and
 * the outbox is closed on the way out.
 */
import type { ToolRef } from '../../core/tool-ref.js';
import { tryDeliverLock } from '../../core/webhooks/deliver-lock.js';
import { DeliveryWorker, type WorkerOptions } from '../../core/webhooks/deliver-worker.js';
import { emitWebhookEvent } from '../../core/webhooks/emit.js';
import { readEndpoints } from '../../core/webhooks/endpoints.js';
import { subscribes, type WebhookEventType } from '../../core/webhooks/event-types.js';
import { outboxWriter } from '../../core/webhooks/outbox-writer.js';
import type { CallContext, ServeHost } from '../mcp/types.js';
import type { Logger } from '../mcp/logger.js';
import { recordWebhookDelivery } from '../telemetry/webhook-metrics.js';

export interface ServeWebhooks {
  /** Records an event for its subscribers; failures are logged, never thrown. */
  emit(type: WebhookEventType, data: Record<string, unknown>): Promise<void>;
  /** The host with tool.called events added (only while an endpoint subscribes to them). */
  wrap<T extends ServeHost>(host: T): T;
  /** Gives pending deliveries up to `graceMs`, then stops the worker and closes the outbox. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts delivering for `home` (or waits its turn while another pm delivers). */
export function startServeWebhooks(home: string, log: Logger, opts: Partial<WorkerOptions> = {}): ServeWebhooks {
  let worker: DeliveryWorker | undefined;
  let running: Promise<void> | undefined;
  let release: (() => Promise<void>) | undefined;
  let stopped = false;
  // Whether tool.called is wanted (and with payloads), refreshed in the background so calls never wait on a file.
  let toolCalled: 'no' | 'summary' | 'payloads' = 'no';
  // No endpoint, no worker: a home without webhooks gets no outbox folder and no lock.
  let anyEndpoint = false;
  const pollMs = opts.pollMs ?? 1000;

  const refresh = async () => {
    try {
      const all = await readEndpoints(home);
      anyEndpoint = all.length > 0;
      const eps = all.filter((e) => subscribes(e.events, 'tool.called'));
      toolCalled = !eps.length ? 'no' : eps.some((e) => e.includePayloads) ? 'payloads' : 'summary';
    } catch {
      toolCalled = 'no';
    }
  };
  let starting: Promise<void> | undefined;
  // One attempt at a time: two at once could each take the lock the other just created.
  const tryStart = (): Promise<void> => (starting ??= startOnce().finally(() => (starting = undefined)));
  const startOnce = async () => {
    if (stopped || worker || !anyEndpoint) return;
    const lock = await tryDeliverLock(home).catch((err) => (log.warn('webhooks: cannot take the delivery lock', { error: (err as Error).message }), undefined));
    if (!lock || 'heldBy' in lock) return;
    if (stopped) return void (await lock.release());
    release = lock.release;
    worker = new DeliveryWorker(home, {
      mode: 'serve', log: (level, m) => log[level](m),
      // Every attempt feeds pm.webhook.deliveries and pm.webhook.delivery.duration (/metrics, OTLP).
      onAttempt: (a) => recordWebhookDelivery({ outcome: a.ok ? 'delivered' : a.deadLettered ? 'dead_lettered' : 'failed', ms: a.ms, event: a.type }),
      ...opts,
    });
    running = worker.scan().then(() => worker!.run()).catch((err) => log.warn('webhooks: the delivery worker stopped', { error: (err as Error).message }));
  };
  // Another pm (serve or webhook-flush) may be delivering: try again now and then.
  const timer = setInterval(() => void refresh().then(tryStart), Math.max(pollMs, 1000) * 5);
  timer.unref();
  void refresh().then(tryStart);

  const emit = async (type: WebhookEventType, data: Record<string, unknown>) => {
    try {
      // An event recorded means an endpoint exists: deliver it now rather than at the next check.
      if ((await emitWebhookEvent(home, type, data)) && !worker) {
        anyEndpoint = true;
        await tryStart();
      }
    } catch (err) {
      log.warn(`webhooks: could not record ${type}`, { error: (err as Error).message });
    }
  };

  return {
    emit,
    wrap<T extends ServeHost>(host: T): T {
      const payloads = new WeakMap<CallContext, { arguments: unknown; result?: unknown }>();
      const callTool: ServeHost['callTool'] = (ref, args, o) => {
        // The hot path stays one plain call unless an endpoint wants the payloads.
        if (toolCalled !== 'payloads') return host.callTool(ref, args, o);
        const p: { arguments: unknown; result?: unknown } = { arguments: args };
        payloads.set(o.call, p);
        return host.callTool(ref, args, o).then((result) => ((p.result = result), result));
      };
      const recordCall = (ref: ToolRef, ms: number, ok: boolean, call: CallContext) => {
        host.recordCall?.(ref, ms, ok, call);
        if (toolCalled === 'no') return;
        const data: Record<string, unknown> = {
          tool: `${ref.plugin}.${ref.tool}`, plugin: ref.plugin, name: ref.tool, outcome: ok ? 'ok' : 'error', durationMs: Math.round(ms * 10) / 10,
          ...(call.sessionId ? { sessionId: call.sessionId } : {}), ...(call.client ? { client: call.client } : {}),
          ...payloads.get(call),
        };
        void emit('tool.called', data);
      };
      const bound = new Map<PropertyKey, unknown>([['callTool', callTool], ['recordCall', recordCall]]);
      return new Proxy(host, {
        get(target, prop) {
          if (bound.has(prop)) return bound.get(prop);
          const v = Reflect.get(target, prop, target) as unknown;
          if (typeof v !== 'function') return v;
          const f = v.bind(target);
          bound.set(prop, f);
          return f;
        },
      });
    },
    async stop(graceMs = 1000) {
      stopped = true;
      clearInterval(timer);
      const w = worker;
      if (w) {
        // server.stopping and other last events get a moment to go out before the worker stops.
        const until = Date.now() + graceMs;
        await w.refresh().catch(() => {});
        while (Date.now() < until && Object.values(w.pending()).some((n) => n > 0)) await new Promise((r) => setTimeout(r, 20));
        await w.stop();
        await running;
      }
      await release?.();
      await outboxWriter(home).close();
    },
  };
}
