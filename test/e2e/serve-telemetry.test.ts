// pm serve's telemetry as a user runs it: the real bin over HTTP on 127.0.0.1 with the echo and
// guard plugins. Unconfigured, no OpenTelemetry module is loaded (a module resolve hook in the
// child records every one) and /metrics still counts the calls; with --otlp the spans of a call
// reach an OTLP/HTTP receiver in this test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { spawn } from 'node:child_process';
import { pm, pmBin, repoRoot, tempDir } from '../helpers/pm.js';
import { homeWithPlugins } from '../helpers/serve.js';
import { rawRequest, startHttpServer } from '../helpers/serve-http.js';
import { find, parsePrometheus } from '../helpers/prometheus-text.js';
import { startOtlpReceiver } from '../helpers/otlp-receiver.js';

const TOKEN = 'telemetry-token-0123456789abcdef';
const SPY = pathToFileURL(join(repoRoot, 'test', 'fixtures', 'telemetry-import-spy', 'register.mjs')).href;
const tmp = await tempDir('pm-serve-telemetry-');
let home: string;
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;

beforeAll(async () => {
  home = await homeWithPlugins(tmp.dir, ['echo', 'guard']);
  receiver = await startOtlpReceiver();
}, 60_000);
afterAll(async () => {
  await receiver?.close();
  await tmp.cleanup();
});

async function callEcho(url: string, meta?: Record<string, string>): Promise<void> {
  const client = new Client({ name: 'telemetry-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }));
  const r = await client.callTool({ name: 'echo__echo', arguments: { text: 'hi' }, ...(meta ? { _meta: meta } : {}) });
  expect(r.isError).toBeFalsy();
  await client.close();
}

describe('pm serve telemetry', () => {
  it('unconfigured loads no OpenTelemetry module, and GET /metrics (with the token) still has the calls', async () => {
    const spy = join(tmp.dir, 'unconfigured.txt');
    const server = await startHttpServer(home, [], { PM_TOKEN: TOKEN, NODE_OPTIONS: `--import ${SPY}`, PM_IMPORT_SPY: spy });
    try {
      await callEcho(server.url);
      expect((await rawRequest(server.port, { path: '/metrics', headers: { host: `127.0.0.1:${server.port}` } })).status).toBe(401);
      const r = await rawRequest(server.port, { path: '/metrics', headers: { host: `127.0.0.1:${server.port}`, authorization: `Bearer ${TOKEN}` } });
      expect(r.status).toBe(200);
      const { samples } = parsePrometheus(r.body);
      expect(find(samples, 'mcp_server_operation_duration_seconds_count', { mcp_method_name: 'tools/call', gen_ai_tool_name: 'echo__echo' })[0]?.value).toBe(1);
      expect(find(samples, 'pm_hook_handler_duration_seconds_count', { pm_hook_event: 'tool:before-call', pm_plugin_name: 'guard' })[0]?.value).toBe(1);
      expect(find(samples, 'pm_plugin_process_starts_total', { pm_plugin_name: 'echo' })[0]?.value).toBe(1);
      expect(find(samples, 'pm_plugin_state', { pm_plugin_name: 'echo', pm_plugin_state: 'running' })[0]?.value).toBe(1);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(existsSync(spy) ? readFileSync(spy, 'utf8') : '').toBe('');
  }, 60_000);

  it('with --otlp exports the spans of a call to the collector (and only then loads the SDK)', async () => {
    const spy = join(tmp.dir, 'configured.txt');
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const server = await startHttpServer(home, ['--otlp', receiver.url], { PM_TOKEN: TOKEN, NODE_OPTIONS: `--import ${SPY}`, PM_IMPORT_SPY: spy });
    try {
      await callEcho(server.url, { traceparent: `00-${traceId}-b7ad6b7169203331-01` });
    } finally {
      // Stopping flushes what is batched.
      expect(await server.stop()).toBe(0);
    }
    const call = receiver.spans.find((s) => s.traceId === traceId && s.name === 'tools/call echo__echo');
    expect(call?.parentSpanId).toBe('b7ad6b7169203331');
    expect(receiver.spans.filter((s) => s.traceId === traceId && s.parentSpanId === call!.spanId).map((s) => s.name).sort())
      .toEqual(['hook tool:after-call guard', 'hook tool:before-call guard', 'ipc hooks guard', 'ipc hooks guard', 'ipc tool echo']);
    expect(readFileSync(spy, 'utf8')).toMatch(/@opentelemetry\/sdk-trace-base/);
  }, 60_000);

  it('--metrics-port on stdio serves /metrics on 127.0.0.1 without a token (there is none on stdio)', async () => {
    const child = spawn(process.execPath, [pmBin, 'serve', '--mcp', '--home', home, '--metrics-port', '0'], { env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /Prometheus metrics at (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(err);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
    });
    try {
      const port = Number(new URL(url).port);
      const r = await rawRequest(port, { path: '/metrics', headers: { host: `127.0.0.1:${port}` } });
      expect(r.status).toBe(200);
      expect(() => parsePrometheus(r.body)).not.toThrow();
      expect(r.body).toMatch(/^target_info\{service_name="pm"\} 1$/m);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin!.end();
      await exited;
    }
  }, 60_000);

  it('refuses a --metrics-port that is not a port and an --otlp that is not an http(s) URL (exit 2, nothing started)', async () => {
    const log = join(home, 'logs', 'serve.log');
    const before = existsSync(log) ? readFileSync(log, 'utf8') : '';
    const port = await pm(['serve', '--mcp', '--home', home, '--metrics-port', 'abc']);
    expect(port.exitCode).toBe(2);
    expect(port.stderr).toMatch(/--metrics-port 'abc' is not a port/);
    const otlp = await pm(['serve', '--mcp', '--home', home, '--otlp', 'ftp://collector:4318']);
    expect(otlp.exitCode).toBe(2);
    expect(otlp.stderr).toMatch(/--otlp 'ftp:\/\/collector:4318' is not an http\(s\) URL/);
    // Nothing started: serve.log gained no line (earlier tests' lines hold hex ids, so no pattern match).
    expect(existsSync(log) ? readFileSync(log, 'utf8') : '').toBe(before);
  }, 30_000);
});
