// pm serve --mcp --http: the real bin on 127.0.0.1, the SDK's real Client over Streamable
// HTTP, and raw requests for what a well-behaved client never sends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { pm, tempDir } from '../helpers/pm.js';
import { homeWithPlugins } from '../helpers/serve.js';
import { initializeBody, mcpHeaders, rawRequest, startHttpServer, type HttpServer } from '../helpers/serve-http.js';

const TOKEN = 'test-token-0123456789abcdef';
const APP = 'https://app.example.org';
const tmp = await tempDir('pm-serve-http-');
let home: string;
let server: HttpServer;

beforeAll(async () => {
  home = await homeWithPlugins(tmp.dir, ['echo', 'guard']);
  server = await startHttpServer(home, ['--allow-origin', APP], { PM_TOKEN: TOKEN });
});
afterAll(async () => {
  await server?.stop();
  await tmp.cleanup();
});

async function connect(token = TOKEN) {
  const client = new Client({ name: 'pm-http-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  return client;
}

describe('pm serve --mcp --http', () => {
  it('binds to 127.0.0.1 and serves /mcp', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  });

  it('serves the same tools to a real client over Streamable HTTP, with a session', async () => {
    const client = await connect();
    try {
      expect(client.getServerCapabilities()).toMatchObject({ tools: { listChanged: true } });
      expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(['echo__count', 'echo__crash', 'echo__echo', 'echo__pid', 'echo__slow']);
      const r = await client.callTool({ name: 'echo__echo', arguments: { text: 'shout:over http' } });
      expect(r.content).toEqual([{ type: 'text', text: 'OVER HTTP' }, { type: 'text', text: '(filtered by guard)' }]);
    } finally {
      await client.close();
    }
  });

  it('refuses /mcp without the token with 401 and a Bearer challenge', async () => {
    const none = await rawRequest(server.port, { method: 'POST', path: '/mcp', headers: mcpHeaders(server.port), body: initializeBody });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="pm"');
    expect(JSON.parse(none.body).error.message).toBe('Unauthorized: send Authorization: Bearer <token>');
    const wrong = await rawRequest(server.port, { method: 'POST', path: '/mcp', headers: mcpHeaders(server.port, { authorization: 'Bearer wrong-token-0123456789' }), body: initializeBody });
    expect(wrong.status).toBe(401);
    await expect(connect('wrong-token-0123456789')).rejects.toThrow();
  });

  it('refuses a foreign Host header with 403 even with the token (DNS rebinding)', async () => {
    const r = await rawRequest(server.port, { method: 'POST', path: '/mcp', headers: mcpHeaders(server.port, { host: `evil.example:${server.port}`, authorization: `Bearer ${TOKEN}` }), body: initializeBody });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).error.message).toBe('Forbidden: Host not allowed');
  });

  it('refuses a foreign Origin with 403 even with the token', async () => {
    const r = await rawRequest(server.port, { method: 'POST', path: '/mcp', headers: mcpHeaders(server.port, { origin: 'https://evil.example', authorization: `Bearer ${TOKEN}` }), body: initializeBody });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).error.message).toBe('Forbidden: Origin not allowed');
  });

  it('accepts a local Origin with the token', async () => {
    const r = await rawRequest(server.port, { method: 'POST', path: '/mcp', headers: mcpHeaders(server.port, { origin: 'http://localhost:6274', authorization: `Bearer ${TOKEN}` }), body: initializeBody });
    expect(r.status).toBe(200);
    expect(r.headers['mcp-session-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a CORS preflight from an --allow-origin origin with 204 and what a browser client needs, without a token', async () => {
    const r = await rawRequest(server.port, {
      method: 'OPTIONS',
      path: '/mcp',
      headers: { host: `127.0.0.1:${server.port}`, origin: APP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization, mcp-session-id' },
    });
    expect(r.status).toBe(204);
    expect(r.body).toBe('');
    expect(r.headers).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
      'access-control-allow-headers': 'content-type, authorization, mcp-session-id, mcp-protocol-version, last-event-id',
      'access-control-expose-headers': 'Mcp-Session-Id',
      vary: 'Origin',
    });
  });

  it('lets an --allow-origin page read its answers and the session id, and still requires the token from it', async () => {
    const ok = await rawRequest(server.port, { method: 'POST', path: '/mcp', headers: mcpHeaders(server.port, { origin: APP, authorization: `Bearer ${TOKEN}` }), body: initializeBody });
    expect(ok.status).toBe(200);
    expect(ok.headers['mcp-session-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(ok.headers).toMatchObject({ 'access-control-allow-origin': APP, 'access-control-expose-headers': 'Mcp-Session-Id', vary: 'Origin' });
    const noToken = await rawRequest(server.port, { method: 'POST', path: '/mcp', headers: mcpHeaders(server.port, { origin: APP }), body: initializeBody });
    expect(noToken.status).toBe(401);
    expect(noToken.headers['access-control-allow-origin']).toBe(APP);
  });

  it('refuses a CORS preflight from a foreign page with 403 and no grant (stops other sites calling pm from a browser)', async () => {
    const r = await rawRequest(server.port, { method: 'OPTIONS', path: '/mcp', headers: { host: `127.0.0.1:${server.port}`, origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(r.status).toBe(403);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    expect(JSON.parse(r.body).error.message).toBe('Forbidden: Origin not allowed');
  });

  it('grants no CORS to a local page not listed with --allow-origin (stops any localhost page reading pm)', async () => {
    const pre = await rawRequest(server.port, { method: 'OPTIONS', path: '/mcp', headers: { host: `127.0.0.1:${server.port}`, origin: 'http://localhost:6274', 'access-control-request-method': 'POST' } });
    expect(pre.status).toBe(403);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    expect(JSON.parse(pre.body).error.message).toBe('Forbidden: cross-origin requests need the origin listed with --allow-origin');
    const post = await rawRequest(server.port, { method: 'POST', path: '/mcp', headers: mcpHeaders(server.port, { origin: 'http://localhost:6274', authorization: `Bearer ${TOKEN}` }), body: initializeBody });
    expect(post.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers GET /healthz without auth and leaks nothing', async () => {
    const r = await rawRequest(server.port, { path: '/healthz' });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ ok: true });
    expect(r.body).not.toMatch(/echo|guard|version|session/i);
  });

  it('refuses a request without a session that is not an initialize, and an unknown session', async () => {
    const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await rawRequest(server.port, { method: 'POST', path: '/mcp', headers: mcpHeaders(server.port, auth), body: list })).status).toBe(400);
    expect((await rawRequest(server.port, { method: 'POST', path: '/mcp', headers: mcpHeaders(server.port, { ...auth, 'mcp-session-id': 'nope' }), body: list })).status).toBe(404);
    expect((await rawRequest(server.port, { method: 'POST', path: '/mcp', headers: mcpHeaders(server.port, auth), body: '{not json' })).status).toBe(400);
  });

  it('tells a connected HTTP client about list changes after pm plugin-disable', async () => {
    const client = await connect();
    try {
      const changed = new Promise<void>((r) => client.setNotificationHandler(ToolListChangedNotificationSchema, () => r()));
      expect((await pm(['plugin-disable', 'echo', '--home', home])).exitCode).toBe(0);
      await changed;
      expect((await client.listTools()).tools).toEqual([]);
    } finally {
      await client.close();
      await pm(['plugin-enable', 'echo', '--home', home]);
    }
  });
});

describe('pm serve --mcp --http on SIGTERM', () => {
  it('stops its plugins, persists tool and hook stats and exits 0', async () => {
    const code = await server.stop();
    expect(code).toBe(0);
    const tools = JSON.parse(await readFile(join(home, 'stats', 'tools.json'), 'utf8'));
    expect(tools.tools['echo.echo']).toMatchObject({ calls: 1, errors: 0 });
    expect(server.stderr()).toContain('pm serve info: stopping {"reason":"SIGTERM"}');
    expect(server.stderr()).toContain('pm serve info: stopped');
  });
});

describe('pm serve --mcp --http refusals at start', () => {
  it('refuses --no-token on a non-loopback address, with exit 2, listening on nothing', async () => {
    const r = await pm(['serve', '--mcp', '--http', '0', '--host', '0.0.0.0', '--no-token', '--home', home]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("error: refusing --no-token on 0.0.0.0: anyone who can reach it could call every plugin's tools");
    expect(r.stderr).toContain('hint: drop --no-token (pm serve then uses --token, PM_TOKEN or the token it keeps in PM_HOME), or bind to 127.0.0.1');
    expect(r.stderr).not.toContain('listening');
  });

  it('fails at start with exit 1 and a hint when state.json is corrupt, writing nothing to stdout', async () => {
    const bad = join(tmp.dir, 'corrupt-home');
    await mkdir(bad, { recursive: true });
    await writeFile(join(bad, 'state.json'), '{oops');
    const r = await pm(['serve', '--mcp', '--home', bad]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: ${join(bad, 'state.json')} cannot be read`);
    expect(r.stderr).toContain('hint: ');
    expect(await readFile(join(bad, 'state.json'), 'utf8')).toBe('{oops');
  });

  it('refuses a token shorter than 16 characters', async () => {
    const r = await pm(['serve', '--mcp', '--http', '0', '--token', 'short', '--home', home]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: the token is shorter than 16 characters');
  });

  it('refuses --token without --http, and serve without --mcp', async () => {
    const t = await pm(['serve', '--mcp', '--token', TOKEN, '--home', home]);
    expect([t.exitCode, t.stderr]).toEqual([2, expect.stringContaining('--host, --token and --no-token apply to HTTP only')]);
    const m = await pm(['serve', '--home', home]);
    expect([m.exitCode, m.stderr]).toEqual([2, expect.stringContaining('pm serve needs --mcp')]);
  });

  it('refuses a name separator MCP clients cannot take', async () => {
    const r = await pm(['serve', '--mcp', '--name-separator', '.', '--home', home]);
    expect([r.exitCode, r.stderr]).toEqual([2, expect.stringContaining("--name-separator '.' is not allowed")]);
  });
});
