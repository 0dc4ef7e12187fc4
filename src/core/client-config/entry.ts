import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { shellCommand, shellQuote } from '../shell-quote.js';

/** How an MCP client starts `pm serve --mcp`: the `command`/`args`/`env` of its config entry. */
export interface ServerEntry {
  command: string;
  args: string[];
  env: Record<string, string>;
}

export interface ClientSnippets {
  /** `mcpServers` JSON for Claude Desktop (claude_desktop_config.json) and Cursor (~/.cursor/mcp.json). */
  mcpServersJson: string;
  /** Project-scoped Claude Code `.mcp.json` (same shape, with `type: "stdio"`). */
  claudeCodeJson: string;
  /** A `claude mcp add-json` command line for Claude Code, shell-quoted. */
  claudeCodeCommand: string;
}

/** The bin/pm.js of this installation (found next to this module in src/ and dist/ alike). */
export function pmScriptPath(): string {
  const script = fileURLToPath(new URL('../../../bin/pm.js', import.meta.url));
  return existsSync(script) ? script : process.argv[1] ?? script;
}

/**
 * The entry that starts pm from any client, whatever PATH it has: the absolute node binary,
 * then the absolute bin/pm.js (no `#!/usr/bin/env node` lookup), and PM_HOME spelled out.
 */
export function pmServerEntry(options: { home: string; nodePath?: string; pmScript?: string; extraArgs?: string[] }): ServerEntry {
  return {
    command: options.nodePath ?? process.execPath,
    args: [options.pmScript ?? pmScriptPath(), 'serve', '--mcp', ...(options.extraArgs ?? [])],
    env: { PM_HOME: options.home },
  };
}

/** Ready-to-paste configuration for the clients pm knows, built from one entry. */
export function clientSnippets(entry: ServerEntry, name = 'pm'): ClientSnippets {
  const mcpServersJson = JSON.stringify({ mcpServers: { [name]: entry } }, null, 2);
  const claudeCodeJson = JSON.stringify({ mcpServers: { [name]: { type: 'stdio', ...entry } } }, null, 2);
  const oneLine = JSON.stringify({ type: 'stdio', ...entry });
  const claudeCodeCommand = `${shellCommand(['claude', 'mcp', 'add-json', '--scope', 'user', name])} ${shellQuote(oneLine)}`;
  return { mcpServersJson, claudeCodeJson, claudeCodeCommand };
}

export interface HttpClientSnippets {
  /** `mcpServers` JSON with `url` and an Authorization header to fill in (Cursor and others). */
  mcpServersJson: string;
  /** A `claude mcp add --transport http` command that reads the token from its file when run. */
  claudeCodeCommand: string;
}

/** Ready-to-paste configuration for a client reaching `pm serve --mcp --http` at `url`, token kept in `tokenPath`. */
export function httpClientSnippets(url: string, tokenPath: string, name = 'pm'): HttpClientSnippets {
  const mcpServersJson = JSON.stringify({ mcpServers: { [name]: { url, headers: { Authorization: `Bearer <the token in ${tokenPath}>` } } } }, null, 2);
  // The shell reads the file when the line runs, so the token itself is never printed.
  const claudeCodeCommand = `${shellCommand(['claude', 'mcp', 'add', '--transport', 'http', '--scope', 'user', name, url])} --header "Authorization: Bearer $(cat ${shellQuote(tokenPath)})"`;
  return { mcpServersJson, claudeCodeCommand };
}
