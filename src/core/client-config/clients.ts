import { homedir } from 'node:os';
import { join } from 'node:path';
import { PmError } from '../errors.js';
import { appConfigDir } from './locations.js';

/** The MCP clients `pm client-setup` writes and imports. */
export const SETUP_CLIENTS = ['claude-desktop', 'claude-code', 'cursor', 'vscode', 'windsurf', 'codex'] as const;
export type SetupClient = (typeof SETUP_CLIENTS)[number];

/** How one client keeps its MCP servers: the file format, the table's key, and whether entries carry `type: "stdio"`. */
export interface ClientFormat {
  client: SetupClient;
  format: 'json' | 'toml';
  /** The key of the server table: `mcpServers`, VS Code's `servers`, Codex's `mcp_servers`. */
  table: string;
  stdioType: boolean;
  /** Whether the client starts servers with the desktop's PATH (GUI apps) rather than a shell's. */
  gui: boolean;
}

const FORMATS: Record<SetupClient, Omit<ClientFormat, 'client'>> = {
  'claude-desktop': { format: 'json', table: 'mcpServers', stdioType: false, gui: true },
  'claude-code': { format: 'json', table: 'mcpServers', stdioType: true, gui: false },
  cursor: { format: 'json', table: 'mcpServers', stdioType: false, gui: true },
  vscode: { format: 'json', table: 'servers', stdioType: true, gui: true },
  windsurf: { format: 'json', table: 'mcpServers', stdioType: false, gui: true },
  codex: { format: 'toml', table: 'mcp_servers', stdioType: false, gui: false },
};

/** The format of `client`; throws CLIENT_UNKNOWN for a name pm does not know. */
export function clientFormat(client: string): ClientFormat {
  if (!(SETUP_CLIENTS as readonly string[]).includes(client)) {
    throw new PmError('CLIENT_UNKNOWN', `pm does not know the MCP client "${client}"`, { hint: `use one of ${SETUP_CLIENTS.join(', ')}, or give the file with --config and one of those names for its format`, data: { client } });
  }
  return { client: client as SetupClient, ...FORMATS[client as SetupClient] };
}

/** The user-level MCP config file of `client` on this OS (Claude Code: ~/.claude.json, its user scope). */
export function clientConfigPath(client: SetupClient, options: { env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform; home?: string } = {}): string {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const home = options.home ?? homedir();
  switch (client) {
    case 'claude-desktop': return join(appConfigDir('Claude', { env, platform, home }), 'claude_desktop_config.json');
    case 'claude-code': return join(home, '.claude.json');
    case 'cursor': return join(home, '.cursor', 'mcp.json');
    case 'vscode': return join(appConfigDir('Code', { env, platform, home }), 'User', 'mcp.json');
    case 'windsurf': return join(home, '.codeium', 'windsurf', 'mcp_config.json');
    case 'codex': return join(env.CODEX_HOME ?? join(home, '.codex'), 'config.toml');
  }
}
