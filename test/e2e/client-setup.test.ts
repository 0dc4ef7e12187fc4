import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pm, pmBin, repoRoot, tempDir } from '../helpers/pm.js';

const cursorFixture = join(repoRoot, 'test', 'fixtures', 'client-configs', 'cursor', 'mcp.json');

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir('pm-client-setup-e2e-')));
afterEach(async () => cleanup());

describe('pm client-setup', () => {
  it('writes the absolute node and pm bin into the file, says where the backup is, and a second run changes nothing', async () => {
    const file = join(dir, 'mcp.json');
    await copyFile(cursorFixture, file);
    const home = join(dir, 'home');
    const r = await pm(['client-setup', 'cursor', '--config', file, '--home', home]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`updated "pm" in ${file}: restart cursor to use it`);
    expect(r.stderr).toMatch(new RegExp(`^backup of ${file}: ${file}\\.pm-backup-\\d{8}T\\d{9}Z$`));
    const doc = JSON.parse(await readFile(file, 'utf8'));
    expect(doc.mcpServers.pm).toEqual({ command: process.execPath, args: [pmBin, 'serve', '--mcp', '--home', home] });
    expect(Object.keys(doc.mcpServers)).toEqual(['weather_server', 'pm', 'linear']);
    const again = await pm(['client-setup', 'cursor', '--config', file, '--home', home]);
    expect(again.stdout).toBe(`"pm" in ${file} is already up to date: nothing changed`);
    expect(again.stderr).toBe('');
    expect((await readdir(dir)).filter((f) => f.includes('pm-backup')).length).toBe(1);
  });

  it('writes an entry that a client with the short PATH of the desktop starts: the MCP SDK client connects and lists the tools of pm', async () => {
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
    const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
    const file = join(dir, 'claude_desktop_config.json');
    const home = join(dir, 'home');
    expect((await pm(['client-setup', 'claude-desktop', '--config', file, '--home', home])).exitCode).toBe(0);
    const entry = JSON.parse(await readFile(file, 'utf8')).mcpServers.pm as { command: string; args: string[] };
    // What a GUI client has: no node, no pm on its PATH.
    const transport = new StdioClientTransport({ command: entry.command, args: entry.args, env: { PATH: '/usr/bin:/bin' }, stderr: 'pipe' });
    const client = new Client({ name: 'desktop-like', version: '1.0.0' });
    await client.connect(transport);
    try {
      expect(client.getServerVersion()?.name).toBe('pm');
      expect(Array.isArray((await client.listTools()).tools)).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('--print shows the file as it would be written on stdout and writes nothing', async () => {
    const file = join(dir, 'mcp.json');
    await copyFile(cursorFixture, file);
    const r = await pm(['client-setup', 'codex', '--config', join(dir, 'config.toml'), '--print']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('[mcp_servers.pm]');
    expect(await readdir(dir)).toEqual(['mcp.json']);
  });

  it('refuses a config that is not valid JSON with exit 1, naming the file, and leaves it as it was', async () => {
    const file = join(dir, 'claude_desktop_config.json');
    await writeFile(file, '{ "mcpServers": { "a": ');
    const r = await pm(['client-setup', 'claude-desktop', '--config', file]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`error: ${file} is not valid JSON`);
    expect(r.stderr).toContain('left untouched');
    expect(await readFile(file, 'utf8')).toBe('{ "mcpServers": { "a": ');
    expect(await readdir(dir)).toEqual(['claude_desktop_config.json']);
  });

  it('refuses flags of the other mode with exit 2 and writes nothing', async () => {
    const file = join(dir, 'mcp.json');
    const r = await pm(['client-setup', 'cursor', '--config', file, '--yes']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: --yes means nothing without --import');
    const i = await pm(['client-setup', '--import', 'cursor', '--config', file, '--remove']);
    expect(i.exitCode).toBe(2);
    expect(i.stderr).toContain('error: --remove means nothing with --import');
    expect(await readdir(dir)).toEqual([]);
  });

  it('refuses an unknown client with exit 2', async () => {
    const r = await pm(['client-setup', 'notepad', '--config', join(dir, 'x.json')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('pm does not know the MCP client "notepad"');
  });
});

describe('pm client-setup --import', () => {
  it('adds the Cursor servers as plugins, tells which env went to the secrets, and skips pm and the remote server', async () => {
    const file = join(dir, 'mcp.json');
    await copyFile(cursorFixture, file);
    const home = join(dir, 'home');
    const r = await pm(['client-setup', '--import', 'cursor', '--config', file, '--home', home, '--yes']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'imported weather_server as weather-server: python3 ./weather.py --units metric',
      '  env WEATHER_API_KEY: stored as the pm secret WEATHER_API_KEY, referred to as ${secret.WEATHER_API_KEY}',
      'skipped pm: pm itself',
      'skipped linear: a remote server (https://mcp.linear.app/sse): pm adds servers it starts on stdio',
      `1 imported, 2 skipped, from ${file}`,
    ]);
    const list = await pm(['secret-list', '--home', home]);
    expect(list.stdout).toContain('WEATHER_API_KEY');
    const info = await pm(['plugin-list', '--home', home]);
    expect(info.stdout).toContain('weather-server');
  });

  it('--dry-run lists without installing; without --yes and a terminal it refuses with exit 2 and installs nothing', async () => {
    const file = join(dir, 'mcp.json');
    await copyFile(cursorFixture, file);
    const home = join(dir, 'home');
    const dry = await pm(['client-setup', '--import', 'cursor', '--config', file, '--home', home, '--dry-run']);
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toContain('would import weather_server as weather-server');
    const refused = await pm(['client-setup', '--import', 'cursor', '--config', file, '--home', home]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('run again with --yes');
    expect(await readdir(dir)).toEqual(['mcp.json']);
  });
});
