// Traced tool calls end to end: a real SDK client over HTTP on 127.0.0.1 sends a traceparent,
// pm's host runs the guard plugin's two hooks and the echo plugin (real processes), or calls a
// server plugin (a real MCP server over stdio that answers with the _meta it was sent), and the
// OTLP/HTTP exporter sends the spans to a receiver in this test.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createHost, type Host } from '../../../src/host/host.js';
import { startHttp, type HttpHandle } from '../../../src/host/mcp/http.js';
import { serveHostOf } from '../../../src/host/mcp/serve-host-of.js';
import { McpService } from '../../../src/host/mcp/server.js';
import { silentLogger } from '../../../src/host/mcp/logger.js';
import { startTelemetry, type TelemetryHandle } from '../../../src/host/telemetry/start.js';
import type { HostPlugin } from '../../../src/host/manifest-types.js';
import { fixturePlugin, fixturesDir } from '../../helpers/host-plugins.js';
import { startOtlpReceiver, type ReceivedSpan } from '../../helpers/otlp-receiver.js';
import { tempDir } from '../../helpers/pm.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CLIENT_SPAN = '00f067aa0ba902b7';
const SERVER_TRACE = '5bf92f3577b34da6a3ce929d0e0e4737';

let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let telemetry: TelemetryHandle;
let host: Host;
let http: HttpHandle;
let cleanup: () => Promise<void>;
let spans: ReceivedSpan[];
let sessionId: string | undefined;
let serverMeta: { traceparent?: string };

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const tmp = await tempDir();
  cleanup = tmp.cleanup;
  telemetry = await startTelemetry({ otlp: receiver.url, version: '9.9.9', env: { OTEL_SERVICE_NAME: 'pm-under-test' } });
  const traceMeta: HostPlugin = {
    name: 'trace-meta', kind: 'server', dir: join(fixturesDir, 'servers', 'trace-meta'), dataDir: join(tmp.dir, 'data', 'trace-meta'), config: {}, enabled: true,
    manifest: { name: 'trace-meta', version: '1.0.0', description: 'answers with its _meta', server: { command: process.execPath, args: ['${pluginDir}/server.mjs'] } },
  };
  host = await createHost({ home: tmp.dir, plugins: [fixturePlugin('serve-plugins/echo', tmp.dir), fixturePlugin('serve-plugins/guard', tmp.dir), traceMeta], options: { log: () => {}, persistStats: false } });
  // The server plugin's tools come from its pin: started once here to record them.
  await host.pinUnpinned();
  http = await startHttp(new McpService({ ...serveHostOf(host, { prompts: () => [] }), reload: async () => {} }), { port: 0, log: silentLogger, noToken: true });
  const transport = new StreamableHTTPClientTransport(new URL(http.url));
  const client = new Client({ name: 'traced-client', version: '1' });
  await client.connect(transport);
  sessionId = transport.sessionId;
  const ok = await client.callTool({ name: 'echo__echo', arguments: { text: 'hi' }, _meta: { traceparent: `00-${TRACE_ID}-${CLIENT_SPAN}-01` } });
  expect(ok.isError, JSON.stringify(ok)).toBeFalsy();
  const denied = await client.callTool({ name: 'echo__echo', arguments: { text: 'forbidden' } });
  expect(denied.isError).toBe(true);
  const meta = await client.callTool({ name: 'trace-meta__meta', arguments: {}, _meta: { traceparent: `00-${SERVER_TRACE}-${CLIENT_SPAN}-01` } });
  serverMeta = JSON.parse((meta.content as { text: string }[])[0]!.text);
  await client.close();
  // Shutting down exports every span still batched.
  await telemetry.shutdown();
  spans = receiver.spans;
}, 60_000);

afterAll(async () => {
  await http?.close();
  await host?.close();
  await receiver?.close();
  await cleanup?.();
});

const one = (pred: (s: ReceivedSpan) => boolean, what: string): ReceivedSpan => {
  const found = spans.filter(pred);
  expect(found.length, `${what} in ${spans.map((s) => s.name).join(', ')}`).toBe(1);
  return found[0]!;
};

describe('a traced tools/call', () => {
  it('is a SERVER span "tools/call echo__echo" continuing the client\'s traceparent, with the MCP semantic-convention attributes', () => {
    const server = one((s) => s.name === 'tools/call echo__echo' && s.traceId === TRACE_ID, 'the server span');
    expect(server.kind).toBe(2);
    expect(server.parentSpanId).toBe(CLIENT_SPAN);
    expect(server.service).toBe('pm-under-test');
    expect(server.attributes).toMatchObject({
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'echo__echo',
      'gen_ai.operation.name': 'execute_tool',
      'mcp.session.id': sessionId,
      'jsonrpc.request.id': expect.any(String),
      'mcp.protocol.version': expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      'network.transport': 'tcp',
    });
    expect(server.attributes['error.type']).toBeUndefined();
  });

  it('has a child span per hook handler that ran and per IPC hop into a plugin, all under the server span', () => {
    const server = one((s) => s.name === 'tools/call echo__echo' && s.traceId === TRACE_ID, 'the server span');
    const children = spans.filter((s) => s.traceId === TRACE_ID && s.parentSpanId === server.spanId).map((s) => s.name).sort();
    expect(children).toEqual(['hook tool:after-call guard', 'hook tool:before-call guard', 'ipc hooks guard', 'ipc hooks guard', 'ipc tool echo']);
    const before = one((s) => s.name === 'hook tool:before-call guard' && s.traceId === TRACE_ID, 'the before-call hook span');
    expect(before.attributes).toMatchObject({ 'pm.hook.event': 'tool:before-call', 'pm.plugin.name': 'guard', 'pm.hook.outcome': 'ok' });
    const hop = one((s) => s.name === 'ipc tool echo' && s.traceId === TRACE_ID, 'the IPC hop');
    expect(hop.kind).toBe(3);
    expect(hop.attributes).toMatchObject({ 'pm.plugin.name': 'echo', 'pm.ipc.method': 'tool' });
  });

  it('without a traceparent starts a trace of its own; a blocked call is error.type tool_error with an ERROR status', () => {
    const denied = one((s) => s.name === 'tools/call echo__echo' && s.traceId !== TRACE_ID, 'the untraced call\'s span');
    expect(denied.parentSpanId).toBeUndefined();
    expect(denied.attributes['error.type']).toBe('tool_error');
    expect(denied.status?.code).toBe(2);
    const guard = one((s) => s.name === 'hook tool:before-call guard' && s.traceId === denied.traceId, 'the denying hook span');
    expect(guard.attributes['pm.hook.outcome']).toBe('denied');
    // The plugin was never reached.
    expect(spans.filter((s) => s.traceId === denied.traceId && s.name === 'ipc tool echo')).toEqual([]);
  });

  it('traces initialize and tools/list too (every request served)', () => {
    expect(spans.some((s) => s.name === 'initialize' && s.attributes['mcp.method.name'] === 'initialize')).toBe(true);
  });

  it('into a server plugin is a CLIENT span "tools/call meta" under the request, whose traceparent the server receives in _meta', () => {
    const server = one((s) => s.name === 'tools/call trace-meta__meta' && s.traceId === SERVER_TRACE, 'the server span');
    expect(server.parentSpanId).toBe(CLIENT_SPAN);
    const hop = one((s) => s.name === 'tools/call meta' && s.traceId === SERVER_TRACE, 'the MCP hop');
    expect(hop).toMatchObject({ kind: 3, parentSpanId: server.spanId });
    expect(hop.attributes).toMatchObject({ 'mcp.method.name': 'tools/call', 'gen_ai.tool.name': 'meta', 'pm.plugin.name': 'trace-meta', 'network.transport': 'pipe' });
    expect(serverMeta.traceparent).toBe(`00-${SERVER_TRACE}-${hop.spanId}-01`);
  });
});
