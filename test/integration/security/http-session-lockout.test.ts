// Issue 13.5: 500 concurrent initializes left a legitimate client with "503 Too many sessions"
// for up to 30 minutes. Real HTTP on 127.0.0.1 and the SDK's real Client; the host behind
// startHttp is a minimal fake (only the HTTP layer is under test).
import { afterEach, describe, expect, it } from 'vitest';
import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startHttp, type HttpHandle } from '../../../src/host/mcp/http.js';
import { McpService } from '../../../src/host/mcp/server.js';
import { silentLogger } from '../../../src/host/mcp/logger.js';
import { initializeBody, oneToolHost as host } from '../../helpers/serve-http.js';

const TOKEN = 'lockout-token-0123456789abcdef';

let handle: HttpHandle | undefined;
afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

/** One POST to /mcp, optionally from another loopback address (another client to the server). */
function post(port: number, body: string, opts: { session?: string; from?: string } = {}): Promise<{ status: number; session?: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: `127.0.0.1:${port}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${TOKEN}` };
    if (opts.session) headers['mcp-session-id'] = opts.session;
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/mcp', headers, localAddress: opts.from, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, session: res.headers['mcp-session-id'] as string | undefined }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const flood = (port: number, n: number, from?: string) => Promise.all(Array.from({ length: n }, () => post(port, initializeBody, { from })));

async function legitCallsATool(url: string): Promise<Client> {
  const client = new Client({ name: 'legit', version: '1' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } }));
  const r = await client.callTool({ name: 'p__t', arguments: {} });
  expect(r.content).toEqual([{ type: 'text', text: 'ok' }]);
  return client;
}

describe('HTTP session lockout', () => {
  it('serves a legitimate client right after a flood of 500 initializes (no 503 lockout)', async () => {
    handle = await startHttp(new McpService(host), { port: 0, log: silentLogger, token: TOKEN, maxSessions: 8, maxTotalSessions: 16 });
    const answers = await flood(handle.port, 500);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(8);
    expect(handle.sessions()).toBeLessThanOrEqual(8);
    const client = await legitCallsATool(handle.url);
    await client.close();
  });

  it('expires sessions that never finish initializing within the pending timeout, keeping initialized ones', async () => {
    handle = await startHttp(new McpService(host), { port: 0, log: silentLogger, token: TOKEN, pendingSessionMs: 300 });
    const client = await legitCallsATool(handle.url);
    const opened = await flood(handle.port, 20);
    expect(opened.every((a) => a.status === 200 && a.session)).toBe(true);
    await expect.poll(() => handle!.sessions(), { timeout: 5000, interval: 50 }).toBe(1);
    const late = await post(handle.port, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), { session: opened[0].session });
    expect(late.status).toBe(404);
    expect((await client.listTools()).tools).toHaveLength(1);
    await client.close();
  });

  it('keeps an initialized client through a flood of initializes: unfinished sessions are evicted first', async () => {
    handle = await startHttp(new McpService(host), { port: 0, log: silentLogger, token: TOKEN, maxSessions: 4 });
    const client = await legitCallsATool(handle.url);
    await flood(handle.port, 200);
    expect((await client.callTool({ name: 'p__t', arguments: {} })).content).toEqual([{ type: 'text', text: 'ok' }]);
    await client.close();
  });

  it('limits sessions per client: a client that initializes fully at its cap evicts only its own sessions', async () => {
    handle = await startHttp(new McpService(host), { port: 0, log: silentLogger, token: TOKEN, maxSessions: 4, maxTotalSessions: 100 });
    const client = await legitCallsATool(handle.url);
    // Another local client (127.0.0.2) opens and finishes 50 sessions, so none is "unfinished".
    for (let i = 0; i < 50; i++) {
      const init = await post(handle.port, initializeBody, { from: '127.0.0.2' });
      expect(init.status).toBe(200);
      expect((await post(handle.port, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }), { session: init.session, from: '127.0.0.2' })).status).toBe(202);
    }
    expect(handle.sessions()).toBe(5);
    expect((await client.callTool({ name: 'p__t', arguments: {} })).content).toEqual([{ type: 'text', text: 'ok' }]);
    await client.close();
  });
});
