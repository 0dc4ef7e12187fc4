import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pm, repoRoot, tempDir } from '../helpers/pm.js';
import { npmFixture, startNpmRegistry, type NpmRegistry } from '../helpers/npm-registry.js';

// registry:<name> through the real bin: a server.json from an MCP Registry on 127.0.0.1, its npm package from a local npm registry.
const tmp = await tempDir('pm-e2e-registry-');
const home = join(tmp.dir, 'home');
let npm: NpmRegistry;
let api: Server;
let apiUrl = '';
const echo = JSON.parse(await readFile(join(repoRoot, 'test', 'fixtures', 'mcp-registry-responses', 'echo-1.0.0.json'), 'utf8'));
const bundle = Buffer.from('not really a bundle');
/** Registry entries by `<name>/<version>`; `latest` too. */
const entries = new Map<string, unknown>([
  ['io.github.fixture/echo/1.0.0', echo],
  ['io.github.fixture/echo/latest', echo],
  ['io.github.fixture/remote-only/latest', { server: { name: 'io.github.fixture/remote-only', description: 'remote', version: '2.0.0', remotes: [{ type: 'streamable-http', url: 'https://example.org/mcp' }] } }],
  ['io.github.fixture/bundle/latest', { server: { name: 'io.github.fixture/bundle', description: 'b', version: '1.0.0', packages: [{ registryType: 'mcpb', identifier: 'BUNDLE_URL', fileSha256: 'a'.repeat(64), transport: { type: 'stdio' } }] } }],
]);

const run = (...args: string[]) => pm([...args, '--home', home], { cwd: tmp.dir, env: npm.env, timeout: 120_000 });
async function storeSnapshot(): Promise<string> {
  const state = existsSync(join(home, 'state.json')) ? await readFile(join(home, 'state.json'), 'utf8') : '(no state)';
  const plugins = existsSync(join(home, 'plugins')) ? (await readdir(join(home, 'plugins'))).join(',') : '';
  return `${state}\n${plugins}`;
}

beforeAll(async () => {
  npm = await startNpmRegistry(join(tmp.dir, 'npm'));
  await npm.publish(npmFixture('echo-server'));
  api = createServer((req, res) => {
    const m = /^\/v0\/servers\/([^/]+)\/versions\/([^/?]+)$/.exec(req.url ?? '');
    if (req.url === '/bundle.mcpb') return void res.writeHead(200).end(bundle);
    const entry = m ? entries.get(`${decodeURIComponent(m[1]!)}/${decodeURIComponent(m[2]!)}`) : undefined;
    if (!entry) return void res.writeHead(404, { 'content-type': 'application/json' }).end('{"title":"Not Found","status":404}');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(entry).replace('BUNDLE_URL', `${apiUrl}/bundle.mcpb`));
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  await npm?.close();
  await new Promise<void>((resolve) => api.close(() => resolve()));
  await tmp.cleanup();
});

describe('pm plugin-install registry:', () => {
  it("installs a registry entry's npm package with its arguments and env, secrets as references", async () => {
    const r = await run('plugin-install', 'registry:io.github.fixture/echo@1.0.0', '--registry-url', apiUrl, '--arg', '/srv', '--yes');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('Installed echo-server@1.0.0');
    expect(r.stdout).toContain(`registry io.github.fixture/echo@1.0.0: npm @fixture/echo-server (from ${apiUrl}/v0/servers/io.github.fixture%2Fecho/versions/1.0.0)`);
    expect(r.stderr).toContain('warning: argument target_dir has no value: give it with --arg');
    const m = JSON.parse(await readFile(join(home, 'plugins', 'echo-server', 'plugin.json'), 'utf8'));
    expect(m.server.args.slice(1)).toEqual(['--greeting', 'hello', '/srv']);
    expect(m.server.env).toEqual({ ECHO_TOKEN: '${secret.ECHO_TOKEN}', ECHO_AUTH: 'Bearer ${secret.token}', ECHO_MODE: 'loud' });
    expect(m.source).toMatchObject({ type: 'npm', package: '@fixture/echo-server', resolved: '1.0.0', registry: { name: 'io.github.fixture/echo', version: '1.0.0' } });
  });

  it('installs from a server.json file with registry:file:', async () => {
    await writeFile(join(tmp.dir, 'server.json'), JSON.stringify(echo.server));
    const r = await run('plugin-install', 'registry:file:server.json', '--name', 'echo-file', '--yes');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('Installed echo-file@1.0.0');
  });

  const refusals: [string, string[], number, string][] = [
    ['a registry name without --registry-url', ['registry:io.github.fixture/echo'], 2, 'error: registry:io.github.fixture/echo needs --registry-url <url>'],
    ['a name the registry does not have', ['registry:io.github.fixture/missing', '--registry-url', 'API'], 1, 'error: could not read the server.json of io.github.fixture/missing at '],
    ['an entry with only remote servers', ['registry:io.github.fixture/remote-only', '--registry-url', 'API'], 1, 'error: io.github.fixture/remote-only@2.0.0 has no npm, PyPI or .mcpb package that runs over stdio (only remote servers)'],
    ['an .mcpb whose sha256 is not the one published', ['registry:io.github.fixture/bundle', '--registry-url', 'API', '--allow-unsigned'], 4, 'bundle.mcpb: sha256 '],
    ['a name that is not reverse-DNS', ['registry:echo', '--registry-url', 'API'], 2, 'error: "registry:echo" names no MCP Registry server'],
  ];
  it.each(refusals)('refuses %s, leaving the store as it was', async (_, args, code, message) => {
    const before = await storeSnapshot();
    const r = await run('plugin-install', ...args.map((a) => (a === 'API' ? apiUrl : a)), '--yes');
    expect(r.exitCode, r.stderr).toBe(code);
    expect(r.stderr).toContain(message);
    expect(await storeSnapshot()).toBe(before);
  });
});
