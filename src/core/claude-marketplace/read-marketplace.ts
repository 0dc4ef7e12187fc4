/**
 * `pm marketplace-add NAME <folder> --format claude`: reads a Claude Code marketplace
 * (`.claude-plugin/marketplace.json`) and lists the MCP servers its plugins declare, each with
 * the `pm mcp-add` line that installs it as a local (unsigned) server plugin.
 */
import { existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { PmError } from '../errors.js';
import { readRegularText } from '../fs/read-regular-file.js';
import { parseUntrustedJson } from '../json/parse-untrusted.js';
import { shellCommand } from '../shell-quote.js';

/** One MCP server a Claude Code plugin declares, as pm would run it. */
export interface ClaudeServer {
  plugin: string;
  server: string;
  command: string;
  args: string[];
  /** `${VAR}` from the user's environment becomes `${secret.VAR}`. */
  env: Record<string, string>;
  /** The command that installs it: `pm mcp-add …` (local, unsigned). */
  mcpAdd: string;
}

const MAX = 1024 * 1024;

async function readJson(file: string): Promise<unknown> {
  return parseUntrustedJson(Buffer.from(await readRegularText(file, { what: file, maxBytes: MAX })), { what: file, maxBytes: MAX });
}

/** A Claude Code `${VAR}`/`${CLAUDE_PLUGIN_ROOT}` string in pm's terms. */
function mapValue(v: string, root: string | undefined): string {
  return v.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-[^}]*)?\}/g, (all, name: string) => (name === 'CLAUDE_PLUGIN_ROOT' ? root ?? all : `\${secret.${name}}`));
}

/** The `mcpServers` object of `.mcp.json` (wrapped or not) or an inline declaration. */
function serversOf(v: unknown): Record<string, { command?: unknown; args?: unknown; env?: unknown }> {
  const o = v && typeof v === 'object' && 'mcpServers' in v ? (v as { mcpServers: unknown }).mcpServers : v;
  return o && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, { command?: unknown }>) : {};
}

/** Reads a Claude Code marketplace folder and lists the stdio MCP servers of its plugins (remote ones are skipped). */
export async function readClaudeMarketplace(location: string): Promise<{ name: string; servers: ClaudeServer[]; skipped: string[] }> {
  if (/^https?:\/\//i.test(location)) {
    throw new PmError('CLAUDE_MARKETPLACE_INVALID', 'pm reads Claude Code marketplaces from a folder for now', { hint: 'clone the marketplace repository and give its folder', data: { location } });
  }
  const root = resolve(location);
  const file = join(root, '.claude-plugin', 'marketplace.json');
  if (!existsSync(file)) throw new PmError('CLAUDE_MARKETPLACE_INVALID', `${location} has no .claude-plugin/marketplace.json`, { hint: 'give the folder of a Claude Code marketplace', data: { location } });
  const market = (await readJson(file)) as { name?: unknown; plugins?: unknown };
  if (!market || typeof market !== 'object' || !Array.isArray(market.plugins)) {
    throw new PmError('CLAUDE_MARKETPLACE_INVALID', `${file} has no plugins list`, { hint: 'give the folder of a Claude Code marketplace', data: { file } });
  }
  const servers: ClaudeServer[] = [];
  const skipped: string[] = [];
  for (const p of market.plugins as { name?: unknown; source?: unknown; mcpServers?: unknown }[]) {
    if (!p || typeof p.name !== 'string') continue;
    // Only sources inside the folder are read: a marketplace cannot point pm at other files.
    const dir = typeof p.source === 'string' ? resolve(root, p.source) : undefined;
    const inside = dir !== undefined && (dir === root || dir.startsWith(root + sep));
    let decl: Record<string, { command?: unknown; args?: unknown; env?: unknown }> = typeof p.mcpServers === 'object' ? serversOf(p.mcpServers) : {};
    if (inside && existsSync(join(dir, '.mcp.json'))) decl = { ...decl, ...serversOf(await readJson(join(dir, '.mcp.json'))) };
    if (inside && existsSync(join(dir, '.claude-plugin', 'plugin.json'))) {
      const pj = (await readJson(join(dir, '.claude-plugin', 'plugin.json'))) as { mcpServers?: unknown };
      if (pj && typeof pj.mcpServers === 'object') decl = { ...decl, ...serversOf(pj.mcpServers) };
    }
    if (!inside && typeof p.source !== 'string' && !Object.keys(decl).length) skipped.push(`${p.name}: its source is not in this folder`);
    for (const [server, s] of Object.entries(decl)) {
      if (typeof s?.command !== 'string') {
        skipped.push(`${p.name}/${server}: not a stdio server (no command)`);
        continue;
      }
      const rootDir = inside ? dir : undefined;
      const args = Array.isArray(s.args) ? s.args.filter((a): a is string => typeof a === 'string').map((a) => mapValue(a, rootDir)) : [];
      const env = Object.fromEntries(Object.entries(s.env && typeof s.env === 'object' ? s.env : {}).filter(([, v]) => typeof v === 'string').map(([k, v]) => [k, mapValue(v as string, rootDir)]));
      const command = mapValue(s.command, rootDir);
      const name = server.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').slice(0, 50) || 'server';
      const mcpAdd = shellCommand(['pm', 'mcp-add', name, ...Object.entries(env).flatMap(([k, v]) => ['--env', `${k}=${v}`]), '--', command, ...args]);
      servers.push({ plugin: p.name, server, command, args, env, mcpAdd });
    }
  }
  return { name: typeof market.name === 'string' ? market.name : 'claude', servers, skipped };
}
