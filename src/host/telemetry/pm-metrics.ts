/**
 * The metrics pm exports (docs/observability.md lists them): the MCP semantic conventions'
 * operation durations, and pm's own hook, plugin and in-flight figures. One registry per process.
 */
import { Registry } from './instruments.js';

/** The MCP semantic conventions' advised buckets for operation durations, in seconds. */
export const MCP_DURATION_BUCKETS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300] as const;
/** Hook handlers are usually sub-millisecond: finer buckets at the low end. */
export const HOOK_DURATION_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** Every instrument of this process (what /metrics and the OTLP exporter read). */
export const registry = new Registry();

/** `mcp.server.operation.duration`: each MCP request pm serves, received to answered. */
export const serverOperationDuration = registry.instrument({
  name: 'mcp.server.operation.duration', kind: 'histogram', unit: 's', boundaries: MCP_DURATION_BUCKETS,
  description: 'MCP request or notification duration as observed on the receiver from the time it was received until the result or ack is sent.',
});

/** `mcp.client.operation.duration`: each request pm sends to a server plugin. */
export const clientOperationDuration = registry.instrument({
  name: 'mcp.client.operation.duration', kind: 'histogram', unit: 's', boundaries: MCP_DURATION_BUCKETS,
  description: 'The duration of the MCP request or notification as observed on the sender from the time it was sent until the response or ack is received.',
});

/** `pm.hook.handler.duration`: one hook handler's run (plugin handlers include the IPC round trip). */
export const hookHandlerDuration = registry.instrument({
  name: 'pm.hook.handler.duration', kind: 'histogram', unit: 's', boundaries: HOOK_DURATION_BUCKETS,
  description: 'Duration of one hook handler run, by event, plugin and outcome.',
});

/** `pm.mcp.server.active_requests`: MCP requests being answered now. */
export const activeRequests = registry.instrument({
  name: 'pm.mcp.server.active_requests', kind: 'updowncounter', unit: '{request}',
  description: 'MCP requests pm is answering now (in-flight calls).',
});

/** `pm.webhook.deliveries`: webhook delivery attempts by outcome (recorded by the webhook worker). */
export const webhookDeliveries = registry.instrument({
  name: 'pm.webhook.deliveries', kind: 'counter', unit: '{delivery}',
  description: 'Webhook delivery attempts, by outcome: delivered, failed (will retry), dead_lettered.',
});

/** `pm.webhook.delivery.duration`: one delivery attempt, request sent to answer (or timeout). */
export const webhookDeliveryDuration = registry.instrument({
  name: 'pm.webhook.delivery.duration', kind: 'histogram', unit: 's', boundaries: MCP_DURATION_BUCKETS,
  description: 'Duration of one webhook delivery attempt.',
});
