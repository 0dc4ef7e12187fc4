import { describe, expect, it } from 'vitest';
import { registry } from '../../../../src/host/telemetry/pm-metrics.js';
import { prometheusText } from '../../../../src/host/telemetry/prometheus.js';
import { recordWebhookDelivery } from '../../../../src/host/telemetry/webhook-metrics.js';
import { find, parsePrometheus } from '../../../helpers/prometheus-text.js';

describe('recordWebhookDelivery', () => {
  it('counts deliveries by outcome and event, and times them in seconds', () => {
    recordWebhookDelivery({ outcome: 'delivered', ms: 20, event: 'plugin.enabled' });
    recordWebhookDelivery({ outcome: 'failed', ms: 3000, event: 'plugin.enabled' });
    recordWebhookDelivery({ outcome: 'dead_lettered' });
    const { samples } = parsePrometheus(prometheusText(registry));
    expect(find(samples, 'pm_webhook_deliveries_total', { pm_webhook_outcome: 'delivered', pm_webhook_event: 'plugin.enabled' })[0]!.value).toBe(1);
    expect(find(samples, 'pm_webhook_deliveries_total', { pm_webhook_outcome: 'dead_lettered' })[0]!.value).toBe(1);
    expect(find(samples, 'pm_webhook_delivery_duration_seconds_bucket', { pm_webhook_outcome: 'failed', le: '2' })[0]!.value).toBe(0);
    expect(find(samples, 'pm_webhook_delivery_duration_seconds_bucket', { pm_webhook_outcome: 'failed', le: '5' })[0]!.value).toBe(1);
  });
});
