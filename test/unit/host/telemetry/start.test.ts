import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startTelemetry } from '../../../../src/host/telemetry/start.js';
import { tracing } from '../../../../src/host/telemetry/tracing.js';

describe('startTelemetry', () => {
  it('unconfigured installs no tracing and its shutdown does nothing', async () => {
    const t = await startTelemetry({ env: {} });
    expect(t.config).toBeUndefined();
    expect(tracing()).toBeUndefined();
    await t.shutdown();
  });

  it('configured installs the tracing until shutdown, which does not wait long for a collector that never answers', async () => {
    // Accepts connections and never answers: the exporter would wait for its own 10 s timeout.
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    try {
      const t = await startTelemetry({ otlp: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, env: {} });
      expect(t.config).toMatchObject({ traces: true, metrics: true });
      const span = tracing()!.serverSpan('tools/list', { 'mcp.method.name': 'tools/list' }, undefined);
      span.end();
      await t.shutdown();
      expect(tracing()).toBeUndefined();
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  }, 8000);
});
