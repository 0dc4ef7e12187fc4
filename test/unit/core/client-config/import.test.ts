import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { copyFile, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { importClientServers } from '../../../../src/core/client-config/import.js';
import { listSecrets, secretValues } from '../../../../src/core/store/secrets.js';
import { repoRoot, tempDir } from '../../../helpers/pm.js';

const fixture = (client: string, file: string) => join(repoRoot, 'test', 'fixtures', 'client-configs', client, file);

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir('pm-client-import-')));
afterEach(async () => cleanup());

const manifest = async (home: string, name: string) => JSON.parse(await readFile(join(home, 'plugins', name, 'plugin.json'), 'utf8'));

describe('importClientServers', () => {
  it('adds the stdio servers of a Claude Desktop config as local plugins, its token as a pm secret, and skips the remote one', async () => {
    const home = join(dir, 'home');
    const r = await importClientServers('claude-desktop', { home, config: fixture('claude-desktop', 'claude_desktop_config.json'), yes: true });
    expect(r.imported.map((i) => [i.server, i.plugin, i.installed])).toEqual([['filesystem', 'filesystem', true], ['github', 'github', true]]);
    expect(r.skipped).toEqual([{ server: 'Remote Docs', reason: expect.stringContaining('a remote server (https://mcp.example.com/mcp)') }]);
    const gh = await manifest(home, 'github');
    expect(gh.server.env).toEqual({ GITHUB_PERSONAL_ACCESS_TOKEN: '${secret.GITHUB_PERSONAL_ACCESS_TOKEN}', GITHUB_TOOLSETS: 'repos,issues' });
    expect(JSON.stringify(gh)).not.toContain('ghp_fixture0123456789');
    expect((await secretValues(home, ['GITHUB_PERSONAL_ACCESS_TOKEN'])).values.GITHUB_PERSONAL_ACCESS_TOKEN).toBe('ghp_fixture0123456789');
    expect(gh.server.command).toBe('docker');
  });

  it('imports a Cursor config: pm itself and the remote server skipped, ./ paths made absolute from the config folder', async () => {
    const home = join(dir, 'home');
    const config = join(dir, 'mcp.json');
    await copyFile(fixture('cursor', 'mcp.json'), config);
    const r = await importClientServers('cursor', { home, config, yes: true });
    expect(r.imported.map((i) => i.plugin)).toEqual(['weather-server']);
    expect(r.skipped.map((s) => s.server)).toEqual(['pm', 'linear']);
    const m = await manifest(home, 'weather-server');
    expect(m.server.args[0]).toBe(join(dir, 'weather.py'));
    expect(m.server.env.WEATHER_API_KEY).toBe('${secret.WEATHER_API_KEY}');
    expect((await listSecrets({ home })).map((s) => s.name)).toEqual(['WEATHER_API_KEY']);
  });

  it('imports a VS Code mcp.json with comments: the stdio server added, ${input:} and remote servers skipped', async () => {
    const home = join(dir, 'home');
    const r = await importClientServers('vscode', { home, config: fixture('vscode', 'mcp.json'), yes: true });
    expect(r.imported.map((i) => i.plugin)).toEqual(['fetch']);
    expect(r.skipped.map((s) => s.server)).toEqual(['perplexity', 'github']);
  });

  it('a second import installs nothing new and says the plugins are there', async () => {
    const home = join(dir, 'home');
    const config = fixture('windsurf', 'mcp_config.json');
    await importClientServers('windsurf', { home, config, yes: true });
    const again = await importClientServers('windsurf', { home, config, yes: true });
    expect(again.imported).toEqual([]);
    expect(again.skipped.find((s) => s.server === 'puppeteer')).toMatchObject({ code: 'SERVER_NAME_TAKEN' });
  });

  it('keeps an existing secret of another value and stores the new one under <PLUGIN>_<NAME>', async () => {
    const home = join(dir, 'home');
    const { setSecret } = await import('../../../../src/core/store/secrets.js');
    await setSecret('CONTEXT7_API_KEY', 'another-value', { home });
    const r = await importClientServers('codex', { home, config: fixture('codex', 'config.toml'), yes: true });
    expect(r.imported[0]).toMatchObject({ plugin: 'context7', env: { CONTEXT7_API_KEY: '${secret.CONTEXT7_CONTEXT7_API_KEY}' } });
    const { values } = await secretValues(home, ['CONTEXT7_API_KEY', 'CONTEXT7_CONTEXT7_API_KEY']);
    expect(values).toEqual({ CONTEXT7_API_KEY: 'another-value', CONTEXT7_CONTEXT7_API_KEY: 'c7_fixture_123456' });
  });

  it('with dryRun lists the servers and installs nothing, stores no secret', async () => {
    const home = join(dir, 'home');
    const r = await importClientServers('claude-desktop', { home, config: fixture('claude-desktop', 'claude_desktop_config.json'), dryRun: true });
    expect(r.imported.map((i) => [i.plugin, i.installed, i.secrets])).toEqual([['filesystem', false, []], ['github', false, ['GITHUB_PERSONAL_ACCESS_TOKEN']]]);
    expect(await readdir(dir)).toEqual([]);
  });

  it('without yes or a way to ask refuses with CONSENT_REQUIRED and installs nothing', async () => {
    const home = join(dir, 'home');
    await expect(importClientServers('claude-code', { home, config: fixture('claude-code', 'claude.json') })).rejects.toMatchObject({ code: 'CONSENT_REQUIRED' });
    expect(existsSync(join(home, 'plugins', 'sequential-thinking'))).toBe(false);
    expect(await listSecrets({ home }).catch(() => [])).toEqual([]);
  });
});
