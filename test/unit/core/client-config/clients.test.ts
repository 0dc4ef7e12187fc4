import { describe, expect, it } from 'vitest';
import { clientConfigPath, clientFormat } from '../../../../src/core/client-config/clients.js';

const home = '/home/ada';

describe('clientConfigPath', () => {
  it('finds Claude Desktop and VS Code in each OS’s settings folder', () => {
    expect(clientConfigPath('claude-desktop', { platform: 'darwin', home, env: {} })).toBe('/home/ada/Library/Application Support/Claude/claude_desktop_config.json');
    expect(clientConfigPath('claude-desktop', { platform: 'linux', home, env: {} })).toBe('/home/ada/.config/Claude/claude_desktop_config.json');
    expect(clientConfigPath('claude-desktop', { platform: 'linux', home, env: { XDG_CONFIG_HOME: '/x' } })).toBe('/x/Claude/claude_desktop_config.json');
    expect(clientConfigPath('vscode', { platform: 'darwin', home, env: {} })).toBe('/home/ada/Library/Application Support/Code/User/mcp.json');
    expect(clientConfigPath('vscode', { platform: 'linux', home, env: {} })).toBe('/home/ada/.config/Code/User/mcp.json');
  });

  it('uses the home-folder files of Claude Code, Cursor, Windsurf and Codex (CODEX_HOME when set)', () => {
    expect(clientConfigPath('claude-code', { home, env: {} })).toBe('/home/ada/.claude.json');
    expect(clientConfigPath('cursor', { home, env: {} })).toBe('/home/ada/.cursor/mcp.json');
    expect(clientConfigPath('windsurf', { home, env: {} })).toBe('/home/ada/.codeium/windsurf/mcp_config.json');
    expect(clientConfigPath('codex', { home, env: {} })).toBe('/home/ada/.codex/config.toml');
    expect(clientConfigPath('codex', { home, env: { CODEX_HOME: '/c' } })).toBe('/c/config.toml');
  });
});

describe('clientFormat', () => {
  it('knows VS Code’s servers table and Codex’s TOML', () => {
    expect(clientFormat('vscode')).toMatchObject({ format: 'json', table: 'servers', stdioType: true });
    expect(clientFormat('codex')).toMatchObject({ format: 'toml', table: 'mcp_servers' });
  });

  it('refuses a client it does not know with CLIENT_UNKNOWN', () => {
    expect(() => clientFormat('notepad')).toThrow(expect.objectContaining({ code: 'CLIENT_UNKNOWN' }));
  });
});
