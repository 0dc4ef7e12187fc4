// Issue 13.5, against the real bin with its default limits: 500 concurrent initializes used
// to leave every later client with "503 Too many sessions" for up to 30 minutes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { tempDir } from '../helpers/pm.js';
import { homeWithPlugins } from '../helpers/serve.js';
import { initializeBody, rawRequest, startHttpServer, type HttpServer } from '../helpers/serve-http.js';

const tmp = await tempDir('pm-serve-flood-');
let server: HttpServer;
let token: string;

beforeAll(async () => {
  const home = await homeWithPlugins(tmp.dir, ['echo']);
  server = await startHttpServer(home);
  token = (await readFile(join(home, 'serve-token'), 'utf8')).trim();
});
afterAll(async () => {
  await server?.stop();
  await tmp.cleanup();
});

describe('pm serve --mcp --http under an initialize flood', () => {
  it('serves a legitimate client right after 500 concurrent initializes: it connects and calls a tool', async () => {
    const headers = { host: `127.0.0.1:${server.port}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}` };
    const flood = await Promise.all(Array.from({ length: 500 }, () => rawRequest(server.port, { method: 'POST', path: '/mcp', headers, body: initializeBody })));
    expect(flood.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(64);
    const client = new Client({ name: 'legit', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    try {
      const r = await client.callTool({ name: 'echo__echo', arguments: { text: 'still here' } });
      expect(r.content).toEqual([{ type: 'text', text: 'still here' }]);
    } finally {
      await client.close();
    }
  });
});
