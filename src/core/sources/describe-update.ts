import { join } from 'node:path';
import type { Manifest } from '../manifest/types.js';
import { describePolicy } from '../permissions/describe.js';
import { resolvePolicy } from '../permissions/policy.js';
import { storePaths } from '../store/paths.js';
import { diffTools, normalizeTools, readPin } from '../store/pins.js';
import { shellCommand } from '../shell-quote.js';

/** The permission lines of a manifest as installed in `home`, by permission name: what is granted and how. */
function grants(m: Manifest, home: string): Map<string, string> {
  const p = storePaths(home);
  const policy = resolvePolicy(m, { pluginDir: join(p.plugins, m.name), dataDir: join(p.data, m.name), pmHome: home });
  // The note is compared too: it names declared hosts the grant's words may not (network under bwrap).
  return new Map(describePolicy(policy).map((l) => [l.permission, `${l.granted || 'nothing'} (${l.note})`]));
}

/**
 * What an update of a server plugin changes, in words: the version, the command, each
 * permission whose grant differs, and the tools (declared lists compared; otherwise the pin,
 * which stays in force until a changed list is accepted with plugin-tools-accept).
 */
export async function describeServerUpdate(before: Manifest, after: Manifest, home: string): Promise<string[]> {
  const out = [before.version === after.version ? `version: ${after.version} (unchanged: reinstall)` : `version: ${before.version} → ${after.version}`];
  const cmd = (m: Manifest) => (m.server ? shellCommand([m.server.command, ...(m.server.args ?? [])]) : `(module plugin: ${m.main ?? '?'})`);
  if (cmd(before) !== cmd(after)) out.push(`command: ${cmd(before)} → ${cmd(after)}`);
  const a = grants(before, home);
  const b = grants(after, home);
  const perms = [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).map((k) => `permission ${k}: ${a.get(k) ?? 'nothing'} → ${b.get(k) ?? 'nothing'}`);
  out.push(...(perms.length ? perms : ['permissions: unchanged']));
  const declared = (m: Manifest) => m.contributes?.tools;
  if (declared(before) || declared(after)) {
    const d = diffTools(normalizeTools(declared(before) ?? []), normalizeTools(declared(after) ?? []));
    const parts = [d.added.length && `added ${d.added.join(', ')}`, d.removed.length && `removed ${d.removed.join(', ')}`, d.modified.length && `changed ${d.modified.join(', ')}`].filter(Boolean);
    out.push(parts.length ? `tools (declared): ${parts.join('; ')}` : 'tools (declared): unchanged');
    return out;
  }
  const pin = await readPin(home, before.name).catch(() => undefined);
  out.push(pin
    ? `tools: ${pin.tools.length} pinned; if ${after.version} reports other tools, pm keeps serving the pinned ones until 'pm plugin-tools-accept ${after.name}'`
    : `tools: not pinned yet; recorded on the first start`);
  return out;
}
