// The MCP hop to a server plugin: a real ServerProcess (a plain-Node MCP server that answers with
// the _meta it was sent) under a traced request; spans go to an OTLP/HTTP receiver in this test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SUPERVISOR_OPTIONS } from '../../../src/host/process/options.js';
import { ServerProcess } from '../../../src/host/server/server-process.js';
import { registry } from '../../../src/host/telemetry/pm-metrics.js';
import { prometheusText } from '../../../src/host/telemetry/prometheus.js';
import { startTelemetry } from '../../../src/host/telemetry/start.js';
import { tracing } from '../../../src/host/telemetry/tracing.js';
import { fixturesDir } from '../../helpers/host-plugins.js';
import { startOtlpReceiver } from '../../helpers/otlp-receiver.js';
import { find, parsePrometheus } from '../../helpers/prometheus-text.js';

const root = mkdtempSync(join(tmpdir(), 'pm-trace-server-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a traced call into a server plugin', () => {
  it('is a CLIENT span "tools/call meta" under the request, whose traceparent the server receives in _meta', async () => {
    const receiver = await startOtlpReceiver();
    const telemetry = await startTelemetry({ otlp: receiver.url, env: {} });
    const dir = join(fixturesDir, 'servers', 'trace-meta');
    const proc = new ServerProcess(
      { name: 'trace-meta', kind: 'server', dir, dataDir: join(root, 'data'), config: {}, enabled: true, manifest: { name: 'trace-meta', version: '1.0.0', description: 'd', server: { command: process.execPath, args: ['${pluginDir}/server.mjs'] } } },
      { ...DEFAULT_SUPERVISOR_OPTIONS, idleTimeoutMs: 0, env: process.env },
      { log: () => {} },
    );
    try {
      const request = tracing()!.serverSpan('tools/call trace-meta__meta', {}, { traceparent: '00-11111111111111111111111111111111-2222222222222222-01' });
      const result = await proc.callTool('meta', {}, { call: { trace: request.context } });
      request.end();
      const meta = JSON.parse((result.content as { text: string }[])[0]!.text) as { traceparent?: string };
      expect(meta.traceparent).toMatch(/^00-11111111111111111111111111111111-[0-9a-f]{16}-01$/);
      await telemetry.shutdown();
      const server = receiver.spans.find((s) => s.name === 'tools/call trace-meta__meta')!;
      const hop = receiver.spans.find((s) => s.name === 'tools/call meta')!;
      expect(hop).toMatchObject({ kind: 3, traceId: '11111111111111111111111111111111', parentSpanId: server.spanId });
      // The span the server was told about is pm's client span: the server's own spans hang under it.
      expect(meta.traceparent!.split('-')[2]).toBe(hop.spanId);
      expect(hop.attributes).toMatchObject({ 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'meta', 'pm.plugin.name': 'trace-meta', 'network.transport': 'pipe' });
    } finally {
      await telemetry.shutdown();
      await proc.stop();
      await receiver.close();
    }
    // Traced or not, the call is in the client-side histogram.
    const { samples } = parsePrometheus(prometheusText(registry));
    expect(find(samples, 'mcp_client_operation_duration_seconds_count', { mcp_method_name: 'tools/call', gen_ai_tool_name: 'meta', pm_plugin_name: 'trace-meta' })[0]?.value).toBe(1);
  }, 30_000);

  it('untraced sends no _meta', async () => {
    const dir = join(fixturesDir, 'servers', 'trace-meta');
    const proc = new ServerProcess(
      { name: 'trace-meta', kind: 'server', dir, dataDir: join(root, 'data2'), config: {}, enabled: true, manifest: { name: 'trace-meta', version: '1.0.0', description: 'd', server: { command: process.execPath, args: ['${pluginDir}/server.mjs'] } } },
      { ...DEFAULT_SUPERVISOR_OPTIONS, idleTimeoutMs: 0, env: process.env },
      { log: () => {} },
    );
    try {
      const result = await proc.callTool('meta', {}, {});
      expect((result.content as { text: string }[])[0]!.text).toBe('null');
    } finally {
      await proc.stop();
    }
  }, 30_000);
});
