import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { pm, repoRoot, tempDir } from '../helpers/pm.js';
import { connectStdio } from '../helpers/serve.js';
import { makeZip } from '../helpers/zip.js';
import { runPmOnPty } from '../helpers/pty.js';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// Bundles packed by the official mcpb CLI (offline), installed through the real bin, served through pm serve --mcp.
const tmp = await tempDir('pm-e2e-mcpb-');
afterAll(() => tmp.cleanup());
const mcpbCli = join(repoRoot, 'node_modules', '@anthropic-ai', 'mcpb', 'dist', 'cli', 'cli.js');
const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', 'mcpb', name);

async function pack(name: string): Promise<string> {
  const out = join(tmp.dir, `${name}.mcpb`);
  await execa(process.execPath, [mcpbCli, 'pack', fixture(name), out]);
  return out;
}

const state = async (home: string) => (existsSync(join(home, 'state.json')) ? readFile(join(home, 'state.json'), 'utf8') : '(none)');

describe('pm plugin-install x.mcpb', () => {
  it('installs a node bundle packed by mcpb: user_config in config, the sensitive key as a secret, served with both', async () => {
    const home = join(tmp.dir, 'node-home');
    const file = await pack('node-env');
    const r = await pm(['plugin-install', file, '--allow-unsigned', '--yes', '--config', 'api_key=sk-node-secret-42', '--config', 'root=/srv/data', '--home', home]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('Installed node-env@1.2.3, unsigned, enabled');
    expect(r.stderr).toContain('node-env was installed from an unsigned bundle');
    const m = JSON.parse(await readFile(join(home, 'plugins', 'node-env', 'plugin.json'), 'utf8'));
    expect(m.server).toEqual({ command: 'node', args: ['${pluginDir}/server/index.mjs', '--root=${config.root}'], env: { API_KEY: '${secret.NODE_ENV_API_KEY}', MODE: 'linux' } });
    expect(m.source).toMatchObject({ type: 'mcpb', manifestVersion: '0.3', serverType: 'node', signature: 'unsigned', declaredTools: ['env', 'argv'] });
    expect(m.source.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(m.config.properties.root).toMatchObject({ type: 'string', default: '/tmp' });
    expect(JSON.stringify(m)).not.toContain('sk-node-secret-42');
    const s = await connectStdio(home);
    try {
      const { tools } = await s.client.listTools();
      expect(tools.map((t) => t.name).sort(), s.stderr()).toEqual(['node-env__argv', 'node-env__env']);
      expect((await s.client.callTool({ name: 'node-env__env', arguments: { name: 'API_KEY' } })).content).toEqual([{ type: 'text', text: 'sk-node-secret-42' }]);
      expect((await s.client.callTool({ name: 'node-env__argv', arguments: {} })).content).toEqual([{ type: 'text', text: '["--root=/srv/data"]' }]);
    } finally {
      await s.close();
    }
  }, 90_000);

  it('installs a python bundle once its required values are given, and the server sees them', async () => {
    const home = join(tmp.dir, 'py-home');
    const file = await pack('python-env');
    const missing = await pm(['plugin-install', file, '--allow-unsigned', '--yes', '--config', 'token=tok-python-123456', '--home', home]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('error: python-env needs a value for "limit" (Limit)');
    expect(await state(home)).toBe('(none)');
    const bad = await pm(['plugin-install', file, '--allow-unsigned', '--yes', '--config', 'token=tok-python-123456', '--config', 'limit=50', '--home', home]);
    expect(bad.exitCode).toBe(3);
    expect(bad.stderr).toContain("'limit' must be <= 10");
    expect(await state(home)).toBe('(none)');
    const r = await pm(['plugin-install', file, '--allow-unsigned', '--yes', '--config', 'token=tok-python-123456', '--config', 'limit=5', '--home', home]);
    expect(r.exitCode, r.stderr).toBe(0);
    const s = await connectStdio(home);
    try {
      const call = (name: string) => s.client.callTool({ name: 'python-env__echo_env', arguments: { name } });
      expect((await call('NOTES_TOKEN')).content, s.stderr()).toEqual([{ type: 'text', text: 'tok-python-123456' }]);
      expect((await call('NOTES_LIMIT')).content).toEqual([{ type: 'text', text: '5' }]);
    } finally {
      await s.close();
    }
  }, 90_000);

  it('refuses an unsigned bundle without --allow-unsigned (exit 4), writing nothing', async () => {
    const home = join(tmp.dir, 'refused-home');
    const r = await pm(['plugin-install', await pack('node-env'), '--yes', '--config', 'api_key=sk-node-secret-42', '--home', home]);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('error: node-env.mcpb is not signed\nhint: to install it unverified anyway, add --allow-unsigned');
    expect(existsSync(home)).toBe(false);
  });

  const goodManifest = JSON.stringify({ manifest_version: '0.3', name: 'evil', version: '1.0.0', description: 'd', author: { name: 'a' }, server: { type: 'node', entry_point: 'i.js', mcp_config: { command: 'node', args: ['${__dirname}/i.js'] } } });
  const hostile: [string, Parameters<typeof makeZip>[0], string][] = [
    ['zip-slip', [{ name: 'manifest.json', data: goodManifest }, { name: '../../../evil.js', data: 'x' }], 'climbs out of the bundle'],
    ['a symlink', [{ name: 'manifest.json', data: goodManifest }, { name: 'i.js', data: '/etc/passwd', mode: 0o120777 }], 'is a symbolic link'],
    ['a zip bomb', [{ name: 'manifest.json', data: goodManifest }, { name: 'bomb', data: Buffer.alloc(30 * 1024 * 1024), deflate: true }], 'a decompression bomb'],
  ];
  it.each(hostile)('refuses a bundle with %s (exit 4), leaving the store unchanged', async (_, entries, message) => {
    const home = join(tmp.dir, 'hostile-home');
    await pm(['plugin-install', await pack('node-env'), '--allow-unsigned', '--yes', '--config', 'api_key=sk-node-secret-42', '--home', home]);
    const before = await state(home);
    const file = join(tmp.dir, 'evil.mcpb');
    await writeFile(file, makeZip(entries));
    const r = await pm(['plugin-install', file, '--allow-unsigned', '--yes', '--home', home]);
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain(`error: refused evil.mcpb: `);
    expect(r.stderr).toContain(message);
    expect(await state(home)).toBe(before);
    expect(existsSync(join(home, 'plugins', 'evil'))).toBe(false);
  }, 60_000);

  it('installs a bundle from an http URL, recording the URL and the sha256 of the bytes served', async () => {
    const bytes = await readFile(await pack('node-env'));
    const server = createServer((req, res) => {
      if (req.url === '/dl/node-env.mcpb') { res.writeHead(200, { 'content-type': 'application/octet-stream' }); res.end(bytes); } else { res.writeHead(404); res.end(); }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dl/node-env.mcpb`;
    try {
      const home = join(tmp.dir, 'url-home');
      const r = await pm(['plugin-install', url, '--allow-unsigned', '--yes', '--config', 'api_key=sk-node-secret-42', '--home', home]);
      expect(r.exitCode, r.stderr).toBe(0);
      const m = JSON.parse(await readFile(join(home, 'plugins', 'node-env', 'plugin.json'), 'utf8'));
      expect(m.source).toMatchObject({ type: 'mcpb', spec: url, url });
      expect(m.source.sha256).toBe((await import('node:crypto')).createHash('sha256').update(bytes).digest('hex'));
    } finally {
      server.close();
    }
  }, 60_000);

  it('asks for the user_config values on a terminal, the sensitive one hidden, then for the permissions', async () => {
    const home = join(tmp.dir, 'pty-home');
    const file = await pack('node-env');
    const s = runPmOnPty(['plugin-install', file, '--allow-unsigned', '--home', home], { cwd: tmp.dir });
    try {
      await s.expect('Root (root), optional: A folder');
      s.type('/srv/asked\r');
      await s.expect('API key (api_key): The key');
      s.type('sk-typed-secret-99\r');
      await s.expect('Install node-env with these permissions?');
      s.type('y\r');
      await s.expect('Installed node-env@1.2.3');
      expect(await s.exited).toBe(0);
    } finally {
      s.kill();
    }
    const st = JSON.parse(await readFile(join(home, 'state.json'), 'utf8'));
    expect(st.plugins['node-env'].config).toEqual({ root: '/srv/asked' });
    expect(await readFile(join(home, 'secrets.json'), 'utf8')).toContain('sk-typed-secret-99');
  }, 90_000);
});
