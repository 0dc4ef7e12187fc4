// One CallContext per MCP request (DESIGN §5): a real SDK Client over stdio against pm serve;
// a hook in a plugin process and the audit log both see the client's name, the session and the
// request id of the call that reached them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { connectStdio, homeWithPlugins, type StdioSession } from '../helpers/serve.js';
import { startHttpServer } from '../helpers/serve-http.js';
import { tempDir } from '../helpers/pm.js';

const tmp = await tempDir('pm-serve-ctx-');
let home: string;
let s: StdioSession;
const stdoutLog = join(tmp.dir, 'stdout.log');

beforeAll(async () => {
  home = await homeWithPlugins(tmp.dir, ['echo', 'witness']);
  s = await connectStdio(home, [], { stdoutLog });
});
afterAll(async () => {
  await s?.close();
  await tmp.cleanup();
});

/** The JSON-RPC ids of the tools/call responses pm wrote to stdout, in order. */
async function responseIds(): Promise<number[]> {
  const lines = (await readFile(stdoutLog, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
  return lines.filter((m) => m.id !== undefined && Array.isArray(m.result?.content)).map((m) => m.id);
}

describe('pm serve: the request context reaches hooks and the audit log', () => {
  it('shows a plugin hook, the audit line and the tool stats the client name, session and request id of each call', async () => {
    const first = await s.client.callTool({ name: 'echo__pid', arguments: {} });
    const second = await s.client.callTool({ name: 'echo__pid', arguments: {}, _meta: { progressToken: 'tok-7' } });
    const seen = [first, second].map((r) => JSON.parse((r.content as { text: string }[]).at(-1)!.text));
    const [idA, idB] = await responseIds();
    expect(seen[0]).toEqual({ transport: 'stdio', sessionId: expect.stringMatching(/^[0-9a-f-]{36}$/), client: { name: 'pm-test', version: '1.0.0' }, requestId: idA });
    expect(seen[1]).toEqual({ ...seen[0], requestId: idB, progressToken: 'tok-7' });
    expect(idB).not.toBe(idA);

    await s.close();
    // The server has stopped (audit flushed, stats written) when it has logged its last line.
    await expect.poll(async () => (await readFile(join(home, 'logs', 'serve.log'), 'utf8').catch(() => '')).includes('"msg":"stopped"'), { timeout: 15_000 }).toBe(true);
    const audit = (await readFile(join(home, 'logs', 'audit.log'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const calls = audit.filter((e) => e.action === 'tool-call');
    expect(calls).toEqual([idA, idB].map((request) => ({
      time: expect.any(String), action: 'tool-call', plugin: 'echo', tool: 'pid', ok: true, ms: expect.any(Number), user: expect.any(String),
      transport: 'stdio', session: seen[0].sessionId, client: { name: 'pm-test', version: '1.0.0' }, request,
    })));
    const stats = JSON.parse(await readFile(join(home, 'stats', 'tools.json'), 'utf8'));
    expect(stats.tools['echo.pid']).toMatchObject({ calls: 2, errors: 0, clients: { 'pm-test': 2 } });
  });

  it('over HTTP, names the session by its Mcp-Session-Id', async () => {
    const httpHome = await homeWithPlugins(join(tmp.dir, 'http'), ['echo', 'witness']);
    const server = await startHttpServer(httpHome, [], { PM_TOKEN: 'ctx-token-0123456789abcdef' });
    const client = new Client({ name: 'pm-http-ctx', version: '2.0.0' });
    const transport = new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { authorization: 'Bearer ctx-token-0123456789abcdef' } } });
    try {
      await client.connect(transport);
      const r = await client.callTool({ name: 'echo__pid', arguments: {} });
      const seen = JSON.parse((r.content as { text: string }[]).at(-1)!.text);
      expect(seen).toEqual({ transport: 'http', sessionId: transport.sessionId, client: { name: 'pm-http-ctx', version: '2.0.0' }, requestId: expect.any(Number) });
      expect(transport.sessionId).toMatch(/\S{8,}/);
    } finally {
      await client.close();
      await server.stop();
    }
  });
});
