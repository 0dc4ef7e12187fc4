// Issue 13.3: with `pm serve --http` on loopback and no token, any local process — a plugin
// with no permissions included — could call /mcp and use every other plugin's tools and
// grants. HTTP mode now always requires a token; these tests run the real bin on 127.0.0.1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmod, lstat, mkdir, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { pm, tempDir } from '../helpers/pm.js';
import { homeWithPlugins } from '../helpers/serve.js';
import { initializeBody, mcpHeaders, rawRequest, startHttpServer, type HttpServer } from '../helpers/serve-http.js';

const tmp = await tempDir('pm-serve-token-');
let home: string;
let server: HttpServer | undefined;
const tokenFile = () => join(home, 'serve-token');

beforeAll(async () => {
  home = await homeWithPlugins(tmp.dir, ['echo']);
});
afterAll(async () => {
  await server?.stop();
  await tmp.cleanup();
});

async function connect(url: string, token: string): Promise<Client> {
  const client = new Client({ name: 'legit', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  return client;
}

/** A local program that is not pm's client (say, a plugin's process): it knows the URL, not the token. */
const intruder = `
const url = process.argv[1];
const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const init = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'intruder', version: '1' } } }) });
const call = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo__echo', arguments: { text: 'pwned' } } }) });
console.log(JSON.stringify({ init: init.status, call: call.status, body: await init.text() + await call.text() }));
`;

describe('pm serve --mcp --http without --token', () => {
  it('generates a token, keeps it in PM_HOME/serve-token as a 0600 regular file and says once how to use it', async () => {
    server = await startHttpServer(home);
    const st = await lstat(tokenFile());
    expect(st.isFile()).toBe(true);
    expect(st.mode & 0o777).toBe(0o600);
    const token = (await readFile(tokenFile(), 'utf8')).trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(server.stderr()).toContain(`generated a token for HTTP clients and saved it in ${tokenFile()} (mode 0600)`);
    expect(server.stderr()).toContain(`Authorization: Bearer ${token}`);
    // The secret stays out of the log file.
    expect(await readFile(join(home, 'logs', 'serve.log'), 'utf8')).not.toContain(token);
    // Nothing but the token is left behind.
    expect((await readdir(home)).filter((f) => f.includes('serve-token'))).toEqual(['serve-token']);
  });

  it('refuses a request without the token with 401 and a Bearer challenge', async () => {
    const r = await rawRequest(server!.port, { method: 'POST', path: '/mcp', headers: mcpHeaders(server!.port), body: initializeBody });
    expect(r.status).toBe(401);
    expect(r.headers['www-authenticate']).toBe('Bearer realm="pm"');
    expect(JSON.parse(r.body).error.message).toBe('Unauthorized: send Authorization: Bearer <token>');
  });

  it('serves a real client that sends the token: it lists and calls tools', async () => {
    const client = await connect(server!.url, (await readFile(tokenFile(), 'utf8')).trim());
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toContain('echo__echo');
      const r = await client.callTool({ name: 'echo__echo', arguments: { text: 'hello' } });
      expect(r.content).toEqual([{ type: 'text', text: 'hello' }]);
    } finally {
      await client.close();
    }
  });

  it('stops a plugin-like local process without the token from calling tools (no session, no call)', async () => {
    const r = await execa(process.execPath, ['--input-type=module', '-e', intruder, server!.url], { env: { PATH: process.env.PATH ?? '' } });
    const seen = JSON.parse(r.stdout);
    expect(seen).toMatchObject({ init: 401, call: 401 });
    expect(seen.body).not.toContain('pwned');
  });

  it('reuses the same token on the next start, so configured clients keep working, without printing it again', async () => {
    const token = (await readFile(tokenFile(), 'utf8')).trim();
    expect(await server!.stop()).toBe(0);
    server = await startHttpServer(home);
    expect(server.stderr()).toContain(`HTTP clients send Authorization: Bearer <the token in ${tokenFile()}>`);
    expect(server.stderr()).not.toContain(token);
    const client = await connect(server.url, token);
    await client.close();
    expect(await server.stop()).toBe(0);
    server = undefined;
  });
});

describe('pm serve --mcp --http refuses a token file it cannot trust, starting nothing', () => {
  it('refuses a token file other users can read (mode 0644) with exit 1, leaving it as it was', async () => {
    await chmod(tokenFile(), 0o644);
    const before = await readFile(tokenFile(), 'utf8');
    const r = await pm(['serve', '--mcp', '--http', '0', '--home', home]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: refusing to use the HTTP token in ${tokenFile()}: its mode 0644 lets other users read or change it`);
    expect(r.stderr).toContain(`hint: run chmod 600 ${tokenFile()}`);
    expect(r.stderr).not.toContain('listening');
    expect(await readFile(tokenFile(), 'utf8')).toBe(before);
    expect((await lstat(tokenFile())).mode & 0o777).toBe(0o644);
    await chmod(tokenFile(), 0o600);
  });

  it('refuses a token file that is a symbolic link, without following it', async () => {
    const elsewhere = join(tmp.dir, 'elsewhere-token');
    await writeFile(elsewhere, 'attacker-chosen-token-0123456789\n', { mode: 0o600 });
    const saved = await readFile(tokenFile(), 'utf8');
    await rm(tokenFile());
    await symlink(elsewhere, tokenFile());
    const r = await pm(['serve', '--mcp', '--http', '0', '--home', home]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`error: refusing to use the HTTP token in ${tokenFile()}: it is a symbolic link`);
    expect((await lstat(tokenFile())).isSymbolicLink()).toBe(true);
    await rm(tokenFile());
    await writeFile(tokenFile(), saved, { mode: 0o600 });
  });

  it('refuses a FIFO named serve-token at once instead of hanging on it', async () => {
    const fifoHome = join(tmp.dir, 'fifo-home');
    await mkdir(fifoHome, { recursive: true });
    execFileSync('mkfifo', [join(fifoHome, 'serve-token')]);
    const r = await pm(['serve', '--mcp', '--http', '0', '--home', fifoHome], { timeout: 20_000 });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`error: refusing to use the HTTP token in ${join(fifoHome, 'serve-token')}: it is not a regular file`);
  });
});

describe('pm serve --mcp --http --no-token', () => {
  it('is refused off loopback with exit 2, writing no token file and listening on nothing', async () => {
    const fresh = join(tmp.dir, 'no-token-home');
    const r = await pm(['serve', '--mcp', '--http', '0', '--host', '0.0.0.0', '--no-token', '--home', fresh]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("error: refusing --no-token on 0.0.0.0: anyone who can reach it could call every plugin's tools");
    expect(r.stderr).not.toContain('listening');
    await expect(lstat(join(fresh, 'serve-token'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('serves loopback without a token only when asked, with a loud warning, and creates no token file', async () => {
    const fresh = await homeWithPlugins(join(tmp.dir, 'open'), ['echo']);
    const open = await startHttpServer(fresh, ['--no-token']);
    try {
      expect(open.stderr()).toContain('NO TOKEN (--no-token): any program on this machine, every plugin pm runs included, can call every plugin\'s tools');
      const r = await rawRequest(open.port, { method: 'POST', path: '/mcp', headers: mcpHeaders(open.port), body: initializeBody });
      expect(r.status).toBe(200);
      await expect(lstat(join(fresh, 'serve-token'))).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      await open.stop();
    }
  });
});
