import { homedir } from 'node:os';
import { basename, delimiter, join } from 'node:path';

export type ClientKind = 'claude-desktop' | 'claude-code' | 'cursor' | 'unknown';

export interface ClientConfigFile {
  client: ClientKind;
  path: string;
}

/** Which client a config file belongs to, by its name (for files given with PM_CLIENT_CONFIGS or --client-config). */
export function clientOfFile(path: string): ClientKind {
  const name = basename(path);
  if (name === 'claude_desktop_config.json') return 'claude-desktop';
  if (name === '.claude.json' || name === '.mcp.json') return 'claude-code';
  if (name === 'mcp.json' && basename(join(path, '..')) === '.cursor') return 'cursor';
  return 'unknown';
}

/** Where a desktop app named `app` keeps its settings on this OS (Application Support, %APPDATA%, XDG config). */
export function appConfigDir(app: string, options: { env: NodeJS.ProcessEnv; platform: NodeJS.Platform; home: string }): string {
  const { env, platform, home } = options;
  return platform === 'darwin' ? join(home, 'Library', 'Application Support', app)
    : platform === 'win32' ? join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), app)
      : join(env.XDG_CONFIG_HOME ?? join(home, '.config'), app);
}

/**
 * The config files of Claude Desktop, Claude Code and Cursor on this OS (user and project level).
 * PM_CLIENT_CONFIGS (a PATH-style list) replaces the list, for tests and unusual set-ups.
 */
export function knownClientConfigs(options: { cwd?: string; env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform; home?: string } = {}): ClientConfigFile[] {
  const env = options.env ?? process.env;
  if (env.PM_CLIENT_CONFIGS !== undefined) {
    return env.PM_CLIENT_CONFIGS.split(delimiter).filter(Boolean).map((path) => ({ client: clientOfFile(path), path }));
  }
  const home = options.home ?? homedir();
  const cwd = options.cwd ?? process.cwd();
  const platform = options.platform ?? process.platform;
  const desktopDir = appConfigDir('Claude', { env, platform, home });
  return [
    { client: 'claude-desktop', path: join(desktopDir, 'claude_desktop_config.json') },
    { client: 'claude-code', path: join(home, '.claude.json') },
    { client: 'claude-code', path: join(cwd, '.mcp.json') },
    { client: 'cursor', path: join(home, '.cursor', 'mcp.json') },
    { client: 'cursor', path: join(cwd, '.cursor', 'mcp.json') },
  ];
}
