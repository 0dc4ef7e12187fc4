// /metrics on the real HTTP server (startHttp on 127.0.0.1, the SDK's real Client); the host behind it is a one-tool fake.
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startHttp, type HttpHandle } from '../../../../src/host/mcp/http.js';
import { McpService } from '../../../../src/host/mcp/server.js';
import { silentLogger } from '../../../../src/host/mcp/logger.js';
import { startMetricsServer, type MetricsServer } from '../../../../src/host/telemetry/metrics-http.js';
import { oneToolHost as host, rawRequest } from '../../../helpers/serve-http.js';
import { find, parsePrometheus } from '../../../helpers/prometheus-text.js';

const TOKEN = 'metrics-token-0123456789abcdef';
let handle: HttpHandle | undefined;
let metrics: MetricsServer | undefined;
afterEach(async () => {
  await handle?.close();
  await metrics?.close();
  handle = metrics = undefined;
});

const scrape = (port: number, headers: Record<string, string> = {}) => rawRequest(port, { path: '/metrics', headers: { host: `127.0.0.1:${port}`, ...headers } });

describe('GET /metrics', () => {
  it('has the mcp.server.operation.duration histogram of the calls served, by method, tool and error.type', async () => {
    handle = await startHttp(new McpService(host), { port: 0, log: silentLogger, token: TOKEN });
    const client = new Client({ name: 'c', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(handle.url), { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }));
    await client.callTool({ name: 'p__t', arguments: {} });
    await client.callTool({ name: 'p__t', arguments: {} });
    await expect(client.callTool({ name: 'nope', arguments: {} })).rejects.toThrow(/Unknown tool/);
    await client.close();

    const r = await scrape(handle.port, { authorization: `Bearer ${TOKEN}` });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const { samples, types } = parsePrometheus(r.body);
    expect(types.get('mcp_server_operation_duration_seconds')).toBe('histogram');
    const ok = { mcp_method_name: 'tools/call', gen_ai_tool_name: 'p__t', mcp_protocol_version: '2025-11-25' };
    const count = find(samples, 'mcp_server_operation_duration_seconds_count', ok).filter((s) => s.labels.error_type === undefined);
    expect(count.map((s) => s.value)).toEqual([2]);
    const inf = find(samples, 'mcp_server_operation_duration_seconds_bucket', { ...ok, le: '+Inf' }).filter((s) => s.labels.error_type === undefined);
    expect(inf[0]!.value).toBe(2);
    // Invalid params (unknown tool) is the JSON-RPC code, as the conventions say.
    expect(find(samples, 'mcp_server_operation_duration_seconds_count', { gen_ai_tool_name: 'nope', error_type: '-32602' })[0]!.value).toBe(1);
    expect(find(samples, 'mcp_server_operation_duration_seconds_count', { mcp_method_name: 'initialize' }).length).toBe(1);
    expect(find(samples, 'pm_mcp_server_active_requests', { mcp_method_name: 'tools/call' })[0]!.value).toBe(0);
  });

  it('refuses a scrape without the token when the server has one (401), and with a wrong one', async () => {
    handle = await startHttp(new McpService(host), { port: 0, log: silentLogger, token: TOKEN });
    const none = await scrape(handle.port);
    expect(none.status).toBe(401);
    expect(none.body).not.toMatch(/mcp_server/);
    expect((await scrape(handle.port, { authorization: 'Bearer wrong-token-0123456789abcdef' })).status).toBe(401);
  });

  it('on its own loopback port (--metrics-port) serves /metrics only, refuses a foreign Host, and wants the token when given one', async () => {
    metrics = await startMetricsServer({ port: 0, token: TOKEN });
    expect(metrics.url).toBe(`http://127.0.0.1:${metrics.port}/metrics`);
    expect((await scrape(metrics.port)).status).toBe(401);
    const ok = await scrape(metrics.port, { authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect(() => parsePrometheus(ok.body)).not.toThrow();
    expect((await rawRequest(metrics.port, { path: '/mcp', headers: { host: `127.0.0.1:${metrics.port}` } })).status).toBe(404);
    expect((await scrape(metrics.port, { host: 'evil.example', authorization: `Bearer ${TOKEN}` })).status).toBe(403);
  });
});
