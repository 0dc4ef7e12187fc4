import { stat } from 'node:fs/promises';
import { PmError } from '../errors.js';
import { readPluginManifest, type PluginKind } from '../manifest/read.js';
import type { Manifest } from '../manifest/types.js';
import { renamedOnly, safeNames, type SafeNameMapping } from '../server/safe-name.js';
import { diffTools, hashTools, readPin, type ToolsDiff } from './pins.js';
import { describePolicy, type PermissionLine } from '../permissions/describe.js';
import { resolvePolicy, type PermissionPolicy } from '../permissions/policy.js';
import { folderSize } from './source.js';
import { contextCost } from '../context-cost.js';
import { listedTools } from './plugin-tools.js';
import { recoverIfNeeded } from './list.js';
import { dataDir, pluginDir, readState, requireInstalled, type InstalledPlugin } from './state.js';

/** One permission and whether this Node enforces it (core/permissions/describe.ts). */
export type PermissionInfo = PermissionLine;

/** How a server plugin is started, as its plugin.json says (env values other than substitutions hidden). */
export interface ServerCommandInfo {
  command: string;
  args: string[];
  /** Variable → `${secret.X}`/`${config.X}`-style reference as written, or "(hidden)" for a literal value. */
  env: Record<string, string>;
  cwd: string | null;
}

/** A server plugin's pinned tools (pins/<name>.json, or contributes.tools). */
export interface PinInfo {
  source: 'declared' | 'recorded' | 'none';
  pinnedAt: string | null;
  hash: string | null;
  tools: number;
  toolsChanged: boolean;
  changed: (ToolsDiff & { detectedAt: string }) | null;
  /** Names pm serves under a safe name (wire rule: [A-Za-z0-9_-], 64 characters with `<plugin>__`). */
  renamed: { tools: SafeNameMapping[]; prompts: SafeNameMapping[] };
}

/** plugin-info's result (the documented --json shape). */
export interface PluginInfo {
  name: string;
  /** 'module' (pm's runner) or 'server' (an MCP server over stdio). */
  kind: PluginKind;
  /** Server plugins: the command pm starts. */
  server: ServerCommandInfo | null;
  /** Server plugins: the pin. */
  pin: PinInfo | null;
  version: string;
  description: string | null;
  author: string | null;
  license: string | null;
  enabled: boolean;
  linked: string | null;
  path: string;
  dataDir: string;
  integrity: string | null;
  signer: InstalledPlugin['signer'];
  source: InstalledPlugin['source'];
  size: number;
  installedAt: string;
  updatedAt: string;
  engines: { pm?: string; node?: string };
  dependencies: Record<string, string>;
  tools: { name: string; description: string | null }[];
  prompts: { name: string; description: string | null }[];
  resources: { uri: string; name: string | null }[];
  hooks: { event: string; priority: number; match: unknown }[];
  events: string[];
  permissions: PermissionInfo[];
  /** Grants that amount to full trust. */
  fullTrust: string[];
  /** The policy the host enforces for this plugin on this machine; `permissions` describes it. */
  policy: PermissionPolicy;
  /** Estimated tokens its tools take in a client's context (core/context-cost.ts). */
  contextCost: { tools: number; tokens: number };
}

const REFERENCE = /^\$\{[A-Za-z0-9_.-]+\}$/;

function serverInfo(m: Manifest): ServerCommandInfo | null {
  if (!m.server) return null;
  const env = Object.fromEntries(Object.entries(m.server.env ?? {}).map(([k, v]) => [k, REFERENCE.test(v) ? v : '(hidden)']));
  return { command: m.server.command, args: m.server.args ?? [], env, cwd: m.server.cwd ?? null };
}

async function pinInfo(home: string, name: string, m: Manifest): Promise<{ info: PinInfo; tools: { name: string; description?: string }[] }> {
  const declared = m.contributes?.tools;
  const pin = await readPin(home, name);
  const tools = declared ?? pin?.tools ?? [];
  const stale = declared && pin && pin.hash !== hashTools(declared);
  const changed = pin?.changed && !stale ? { ...diffTools(tools, pin.changed.tools), detectedAt: pin.changed.detectedAt } : null;
  const prompts = stale ? [] : (pin?.seen?.prompts ?? []).flatMap((p) => (typeof p.name === 'string' ? [p.name] : []));
  const info: PinInfo = {
    source: declared ? 'declared' : pin ? 'recorded' : 'none',
    pinnedAt: pin && !stale ? pin.pinnedAt : null,
    hash: declared ? hashTools(declared) : pin?.hash ?? null,
    tools: tools.length,
    toolsChanged: changed !== null,
    changed,
    renamed: { tools: renamedOnly(safeNames(name, tools.map((t) => t.name))), prompts: renamedOnly(safeNames(name, prompts)) },
  };
  return { info, tools };
}

/** Everything about one installed plugin: manifest summary, contributions, permissions, provenance. */
export async function pluginInfo(name: string, opts: { home: string }): Promise<PluginInfo> {
  await recoverIfNeeded(opts.home);
  const state = await readState(opts.home);
  const rec = requireInstalled(state, name);
  const dir = pluginDir(opts.home, name, state);
  if (rec.linked && !(await stat(rec.linked).catch(() => undefined))?.isDirectory()) {
    throw new PmError('LINK_MISSING', `${name} is linked to ${rec.linked}, which no longer exists`, {
      hint: `link it again with 'pm plugin-link <dir>', or remove it with 'pm plugin-uninstall ${name}'`, data: { plugin: name, path: rec.linked },
    });
  }
  const { manifest: m, kind } = await readPluginManifest(dir);
  const pinned = kind === 'server' ? await pinInfo(opts.home, name, m) : null;
  const c = m.contributes ?? {};
  const data = dataDir(opts.home, name);
  const policy = resolvePolicy(m, { pluginDir: dir, dataDir: data, pmHome: opts.home }, rec.fullTrust ? { fullTrust: rec.fullTrust } : {});
  const permissions = describePolicy(policy);
  return {
    name, kind, server: serverInfo(m), pin: pinned?.info ?? null, version: m.version, description: m.description ?? null, author: typeof m.author === 'string' ? m.author : null,
    license: m.license ?? null, enabled: rec.enabled, linked: rec.linked ?? null, path: dir, dataDir: data,
    integrity: rec.integrity, signer: rec.signer, source: rec.source, size: rec.linked ? await folderSize(dir).catch(() => 0) : rec.size, installedAt: rec.installedAt, updatedAt: rec.updatedAt,
    engines: m.engines ?? {}, dependencies: m.dependencies ?? {},
    tools: (pinned?.tools ?? c.tools ?? []).map((t) => ({ name: t.name, description: t.description ?? null })),
    prompts: (c.prompts ?? []).map((t) => ({ name: t.name, description: t.description ?? null })),
    resources: (c.resources ?? []).map((r) => ({ uri: r.uri, name: r.name ?? null })),
    hooks: (c.hooks ?? []).map((h) => ({ event: h.event, priority: h.priority ?? 10, match: h.match ?? null })).sort((a, b) => a.priority - b.priority),
    events: c.events ?? [],
    permissions,
    fullTrust: policy.fullTrust,
    policy,
    contextCost: contextCost([{ plugin: name, tools: await listedTools(opts.home, name, m) }]).total,
  };
}
