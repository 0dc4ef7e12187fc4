import type { Attributes } from './instruments.js';
import { webhookDeliveries, webhookDeliveryDuration } from './pm-metrics.js';

/** How one webhook delivery attempt ended. */
export type WebhookOutcome = 'delivered' | 'failed' | 'dead_lettered';

/**
 * Records one webhook delivery attempt for /metrics and OTLP (`pm.webhook.deliveries`,
 * `pm.webhook.delivery.duration`). For the delivery worker: core/ cannot import host/, so
 * `pm serve` hands this function to the worker as its callback.
 */
export function recordWebhookDelivery(d: { outcome: WebhookOutcome; ms?: number; event?: string }): void {
  const attributes: Attributes = { 'pm.webhook.outcome': d.outcome };
  if (d.event !== undefined) attributes['pm.webhook.event'] = d.event;
  webhookDeliveries.add(attributes);
  if (d.ms !== undefined) webhookDeliveryDuration.record(d.ms / 1000, attributes);
}
