import { stat } from 'node:fs/promises';
import { PmError } from '../errors.js';
import { networkPermissionEnforced, permissionFlag } from '../runtime/permission-flag.js';
import { readPluginManifest } from '../manifest/read.js';
import type { Manifest } from '../manifest/types.js';
import { folderSize } from './source.js';
import { recoverIfNeeded } from './list.js';
import { dataDir, pluginDir, readState, requireInstalled, type InstalledPlugin } from './state.js';

/** One permission and whether this Node enforces it. */
export interface PermissionInfo {
  permission: 'fs.read' | 'fs.write' | 'network' | 'env' | 'childProcess' | 'worker' | 'addons';
  /** What the manifest grants, in words. */
  granted: string;
  /** enforced: the sandbox stops anything beyond the grant; not-enforced: it cannot on this Node; full-trust: the grant escapes the sandbox. */
  enforcement: 'enforced' | 'not-enforced' | 'full-trust';
  note: string;
}

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
}

/** Describes each permission of a manifest and what this Node enforces of it (DESIGN §5). */
export function describePermissions(m: Manifest): PermissionInfo[] {
  const p = m.permissions ?? {};
  const sandbox = permissionFlag() !== undefined;
  const fsEnf = sandbox ? 'enforced' : 'not-enforced';
  const out: PermissionInfo[] = [];
  const list = (xs: string[] | undefined) => (xs && xs.length ? xs.join(', ') : 'nothing');
  out.push({ permission: 'fs.read', granted: `its own folder, its data folder${p.fs?.read?.length ? ', ' + p.fs.read.join(', ') : ''}`, enforcement: fsEnf, note: sandbox ? `Node permission model (${permissionFlag()})` : 'this Node has no permission model' });
  out.push({ permission: 'fs.write', granted: `its data folder${p.fs?.write?.length ? ', ' + p.fs.write.join(', ') : ''}`, enforcement: fsEnf, note: sandbox ? `Node permission model (${permissionFlag()})` : 'this Node has no permission model' });
  const net = Array.isArray(p.network) && p.network.length ? p.network.join(', ') : 'none';
  const netEnforced = networkPermissionEnforced();
  out.push({ permission: 'network', granted: net, enforcement: netEnforced ? 'enforced' : 'not-enforced', note: netEnforced ? 'Node --allow-net' : `not enforced: Node ${process.versions.node} cannot restrict network access (needs Node 25+); the plugin can reach any host` });
  out.push({ permission: 'env', granted: list(p.env), enforcement: 'enforced', note: 'the host passes only these variables to the plugin process' });
  for (const k of ['childProcess', 'worker', 'addons'] as const) {
    if (p[k] === true) out.push({ permission: k, granted: 'yes', enforcement: 'full-trust', note: `full trust: a plugin with ${k} can run code outside the sandbox` });
    else out.push({ permission: k, granted: 'no', enforcement: sandbox ? 'enforced' : 'not-enforced', note: sandbox ? 'refused by the permission model' : 'this Node has no permission model' });
  }
  return out;
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
  const permissions = describePermissions(m);
  return {
    name, version: m.version, description: m.description ?? null, author: typeof m.author === 'string' ? m.author : null,
    license: m.license ?? null, enabled: rec.enabled, linked: rec.linked ?? null, path: dir, dataDir: dataDir(opts.home, name),
    integrity: rec.integrity, signer: rec.signer, source: rec.source, size: rec.linked ? await folderSize(dir).catch(() => 0) : rec.size, installedAt: rec.installedAt, updatedAt: rec.updatedAt,
    engines: m.engines ?? {}, dependencies: m.dependencies ?? {},
    tools: (c.tools ?? []).map((t) => ({ name: t.name, description: t.description ?? null })),
    prompts: (c.prompts ?? []).map((t) => ({ name: t.name, description: t.description ?? null })),
    resources: (c.resources ?? []).map((r) => ({ uri: r.uri, name: r.name ?? null })),
    hooks: (c.hooks ?? []).map((h) => ({ event: h.event, priority: h.priority ?? 10, match: h.match ?? null })).sort((a, b) => a.priority - b.priority),
    events: c.events ?? [],
    permissions,
    fullTrust: permissions.filter((p) => p.enforcement === 'full-trust').map((p) => p.permission),
  };
}
