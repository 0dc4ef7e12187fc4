// startHttp on a real 127.0.0.1 port with the SDK's real Client; the host behind it is a
// minimal fake (mock: only the HTTP layer is under test here; test/e2e/serve-http.test.ts
// runs the real bin, host and plugins).
import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startHttp, type HttpHandle } from '../../../../src/host/mcp/http.js';
import { McpService } from '../../../../src/host/mcp/server.js';
import { silentLogger } from '../../../../src/host/mcp/logger.js';
import { initializeBody, oneToolHost as host, rawRequest } from '../../../helpers/serve-http.js';


const TOKEN = 'unit-token-0123456789abcdef';
let handle: HttpHandle | undefined;
afterEach(async () => {
  await handle?.close();
  handle = undefined;
});

const rawHeaders = (port: number, extra: Record<string, string> = {}) => ({ host: `127.0.0.1:${port}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...extra });

async function connect(url: string, token?: string): Promise<Client> {
  const client = new Client({ name: 'legit', version: '1' });
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

describe('startHttp', () => {
  it('serves a real client without a token on loopback only with noToken, one session per client', async () => {
    handle = await startHttp(new McpService(host), { port: 0, log: silentLogger, noToken: true });
    const a = new Client({ name: 'a', version: '1' });
    const b = new Client({ name: 'b', version: '1' });
    await a.connect(new StreamableHTTPClientTransport(new URL(handle.url)));
    await b.connect(new StreamableHTTPClientTransport(new URL(handle.url)));
    expect((await a.listTools()).tools.map((t) => t.name)).toEqual(['p__t']);
    expect(handle.sessions()).toBe(2);
    await a.close();
    await b.close();
  });

  it('closes sessions that stay idle, so clients that vanish cannot fill the table', async () => {
    handle = await startHttp(new McpService(host), { port: 0, log: silentLogger, noToken: true, sessionIdleMs: 40 });
    const r = await rawRequest(handle.port, { method: 'POST', path: '/mcp', headers: { host: `127.0.0.1:${handle.port}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: initializeBody });
    expect(r.status).toBe(200);
    // The session existed (it has an id); it is gone once idle long enough.
    expect(r.headers['mcp-session-id']).toMatch(/^[0-9a-f-]{36}$/);
    await expect.poll(() => handle!.sessions(), { timeout: 5000, interval: 20 }).toBe(0);
  });

  it('refuses a body over the limit with 413', async () => {
    handle = await startHttp(new McpService(host), { port: 0, log: silentLogger, noToken: true, maxBodyBytes: 1000 });
    const big = await rawRequest(handle.port, { method: 'POST', path: '/mcp', headers: rawHeaders(handle.port), body: JSON.stringify({ pad: 'x'.repeat(2000) }) });
    expect(big.status).toBe(413);
  });

  it('at a client\'s session cap evicts its least recently used idle session instead of refusing', async () => {
    handle = await startHttp(new McpService(host), { port: 0, log: silentLogger, noToken: true, maxSessions: 2 });
    const a = await connect(handle.url);
    const b = await connect(handle.url);
    await a.listTools(); // a is now the more recently used
    const c = await connect(handle.url);
    expect(handle.sessions()).toBe(2);
    expect((await a.listTools()).tools).toHaveLength(1);
    expect((await c.listTools()).tools).toHaveLength(1);
    await expect(b.listTools()).rejects.toThrow(/Session not found/);
    await Promise.all([a.close(), b.close(), c.close()]);
  });
  it('refuses to start without a token unless noToken is asked for, and noToken off loopback', async () => {
    await expect(startHttp(new McpService(host), { port: 0, log: silentLogger })).rejects.toMatchObject({ code: 'SERVE_NO_TOKEN', message: 'HTTP mode needs a token' });
    await expect(startHttp(new McpService(host), { port: 0, host: '0.0.0.0', noToken: true, log: silentLogger })).rejects.toMatchObject({ code: 'SERVE_UNSAFE_BIND', kind: 'usage' });
  });

  it('answers unknown paths with 404', async () => {
    handle = await startHttp(new McpService(host), { port: 0, log: silentLogger, token: TOKEN });
    expect((await rawRequest(handle.port, { path: '/other', headers: { host: `localhost:${handle.port}` } })).status).toBe(404);
  });

  it('says which port is taken when it cannot listen', async () => {
    handle = await startHttp(new McpService(host), { port: 0, log: silentLogger, token: TOKEN });
    await expect(startHttp(new McpService(host), { port: handle.port, log: silentLogger, token: TOKEN })).rejects.toMatchObject({
      code: 'SERVE_LISTEN_FAILED',
      message: `cannot listen on 127.0.0.1:${handle.port}: EADDRINUSE`,
      hint: 'choose another port with --http <port>',
    });
  });
});
