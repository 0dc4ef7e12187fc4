import { stat } from 'node:fs/promises';
import { PmError } from '../errors.js';
import { readPluginManifest } from '../manifest/read.js';
import { describePolicy, type PermissionLine } from '../permissions/describe.js';
import { resolvePolicy, type PermissionPolicy } from '../permissions/policy.js';
import { folderSize } from './source.js';
import { contextCost } from '../context-cost.js';
import { listedTools } from './plugin-tools.js';
import { recoverIfNeeded } from './list.js';
import { dataDir, pluginDir, readState, requireInstalled, type InstalledPlugin } from './state.js';

/** One permission and whether this Node enforces it (core/permissions/describe.ts). */
export type PermissionInfo = PermissionLine;

/** plugin-info's result (the documented --json shape). */
export interface PluginInfo {
  name: string;
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
  const { manifest: m } = await readPluginManifest(dir);
  const c = m.contributes ?? {};
  const data = dataDir(opts.home, name);
  const policy = resolvePolicy(m, { pluginDir: dir, dataDir: data, pmHome: opts.home });
  const permissions = describePolicy(policy);
  return {
    name, version: m.version, description: m.description ?? null, author: typeof m.author === 'string' ? m.author : null,
    license: m.license ?? null, enabled: rec.enabled, linked: rec.linked ?? null, path: dir, dataDir: data,
    integrity: rec.integrity, signer: rec.signer, source: rec.source, size: rec.linked ? await folderSize(dir).catch(() => 0) : rec.size, installedAt: rec.installedAt, updatedAt: rec.updatedAt,
    engines: m.engines ?? {}, dependencies: m.dependencies ?? {},
    tools: (c.tools ?? []).map((t) => ({ name: t.name, description: t.description ?? null })),
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
