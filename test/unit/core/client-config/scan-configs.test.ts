import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { scanClientConfigs } from '../../../../src/core/client-config/scan-configs.js';
import { knownClientConfigs, clientOfFile } from '../../../../src/core/client-config/locations.js';
import { tempDir } from '../../../helpers/pm.js';

const tmp = await tempDir();
afterAll(() => tmp.cleanup());

describe('knownClientConfigs', () => {
  it('lists Claude Desktop per OS, Claude Code and Cursor files', () => {
    const mac = knownClientConfigs({ platform: 'darwin', home: '/u', cwd: '/p', env: {} }).map((f) => f.path);
    expect(mac).toEqual(['/u/Library/Application Support/Claude/claude_desktop_config.json', '/u/.claude.json', '/p/.mcp.json', '/u/.cursor/mcp.json', '/p/.cursor/mcp.json']);
    expect(knownClientConfigs({ platform: 'linux', home: '/u', cwd: '/p', env: {} })[0]?.path).toBe('/u/.config/Claude/claude_desktop_config.json');
  });

  it('is replaced by PM_CLIENT_CONFIGS, each file typed by its name', () => {
    expect(knownClientConfigs({ env: { PM_CLIENT_CONFIGS: '/a/.cursor/mcp.json:/b/.mcp.json' } })).toEqual([
      { client: 'cursor', path: '/a/.cursor/mcp.json' },
      { client: 'claude-code', path: '/b/.mcp.json' },
    ]);
    expect(clientOfFile('/x/claude_desktop_config.json')).toBe('claude-desktop');
  });
});

describe('scanClientConfigs', () => {
  it('reports pm entries at top level and per project in ~/.claude.json, skips others and missing files', async () => {
    const dir = join(tmp.dir, 'cc');
    await mkdir(dir);
    const file = join(dir, '.claude.json');
    await writeFile(file, JSON.stringify({
      mcpServers: { fs: { command: 'npx', args: ['server-filesystem'] } },
      projects: { '/proj': { mcpServers: { pm: { command: '/missing/pm', args: ['serve', '--mcp'], env: { PM_HOME: '/h' } } } } },
    }));
    const findings = await scanClientConfigs([{ client: 'claude-code', path: file }, { client: 'cursor', path: join(dir, 'absent.json') }]);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.at).toBe('projects["/proj"].mcpServers.pm');
    expect(findings[0]?.problems[0]?.message).toBe('"command": /missing/pm does not exist');
  });

  it('reports a config that is not JSON, because the client then ignores every server in it', async () => {
    const file = join(tmp.dir, 'claude_desktop_config.json');
    await writeFile(file, '{ "mcpServers": { ');
    const [f] = await scanClientConfigs([{ client: 'claude-desktop', path: file }]);
    expect(f?.problems[0]?.message).toMatch(/^is not valid JSON \(.*\), so the client ignores every server in it$/);
  });
});
