import semver from 'semver';
import { PmError } from '../errors.js';
import type { IndexVersion, RegistryIndex } from '../index-format/types.js';

/** A configured registry's index, in the user's priority order. */
export interface RegistrySource {
  registry: string;
  index: RegistryIndex;
}

/** What the user asked for: a plugin and a semver range (default `*`), optionally from one registry. */
export interface InstallRequest {
  name: string;
  range?: string;
  registry?: string;
}

/** An installed plugin, as far as resolution cares. */
export interface InstalledInfo {
  version: string;
  dependencies?: Record<string, string>;
}

export interface ResolveOptions {
  sources: RegistrySource[];
  installed?: Record<string, InstalledInfo>;
  /** Versions to check `engines.pm` / `engines.node` against. */
  engines: { pm: string; node: string };
  /** Allow prerelease versions to satisfy ranges. */
  includePrerelease?: boolean;
}

/** One package to fetch and install. */
export interface PlanItem {
  name: string;
  version: string;
  registry: string;
  entry: IndexVersion;
  /** Who needs it: "user" for a request, else the requiring plugins as name@version. */
  requiredBy: string[];
  /** The version installed now, if any (an update). */
  from?: string;
}

interface Constraint { range: string; by: string; registry?: string }

/** Whether a version's `engines` accept this pm and Node. */
export function enginesCompatible(entry: Pick<IndexVersion, 'engines'>, engines: { pm: string; node: string }): boolean {
  for (const [k, range] of Object.entries(entry.engines ?? {})) {
    const have = k === 'pm' ? engines.pm : k === 'node' ? engines.node : undefined;
    if (have === undefined) continue; // engines pm does not know about are not pm's to enforce
    if (!semver.satisfies(have, range, { includePrerelease: true })) return false;
  }
  return true;
}

function describe(cs: Constraint[]): string {
  return cs.map((c) => `${c.by} requires ${c.range}`).join(' but ');
}

/**
 * Picks, for every requested plugin and its transitive plugin dependencies, the highest
 * version across registries (in order) that satisfies every range placed on it and whose
 * engines accept this pm and Node. Installed plugins that already satisfy are kept.
 * Iterates to a fixed point because a new pick may change what its dependencies need.
 * Throws RESOLVE_NOT_FOUND, RESOLVE_CONFLICT (naming both requirers) or RESOLVE_ENGINES.
 */
export function resolvePlan(requests: InstallRequest[], opts: ResolveOptions): PlanItem[] {
  const installed = opts.installed ?? {};
  const rangeOpts = { includePrerelease: Boolean(opts.includePrerelease) };
  let picks = new Map<string, { version: string; registry: string; entry: IndexVersion; constraints: Constraint[] }>();

  for (let round = 0; round < 50; round++) {
    // Constraints come from the user's requests, the current picks, and installed plugins not being replaced.
    const constraints = new Map<string, Constraint[]>();
    const add = (name: string, c: Constraint) => {
      const list = constraints.get(name) ?? [];
      list.push(c);
      constraints.set(name, list);
    };
    for (const r of requests) add(r.name, { range: r.range ?? '*', by: 'user', registry: r.registry });
    for (const [name, p] of picks) for (const [dep, range] of Object.entries(p.entry.dependencies ?? {})) add(dep, { range, by: `${name}@${p.version}` });
    for (const [name, info] of Object.entries(installed)) {
      if (picks.has(name)) continue;
      for (const [dep, range] of Object.entries(info.dependencies ?? {})) add(dep, { range, by: `${name}@${info.version} (installed)` });
    }

    const next = new Map<string, { version: string; registry: string; entry: IndexVersion; constraints: Constraint[] }>();
    for (const [name, cs] of constraints) {
      const requested = requests.some((r) => r.name === name);
      const have = installed[name];
      // A dependency that is installed and satisfies every range stays as it is.
      if (!requested && have && cs.every((c) => semver.satisfies(have.version, c.range, rangeOpts))) continue;
      if (!requested && have === undefined && cs.every((c) => c.by.endsWith('(installed)'))) continue; // only installed plugins need it: not ours to fix here
      next.set(name, { ...pick(name, cs, opts, rangeOpts), constraints: cs });
    }

    const same = next.size === picks.size && [...next].every(([n, p]) => picks.get(n)?.version === p.version && picks.get(n)?.registry === p.registry);
    picks = next;
    if (same) break;
  }

  return [...picks].map(([name, p]) => ({
    name, version: p.version, registry: p.registry, entry: p.entry,
    requiredBy: [...new Set(p.constraints.map((c) => c.by))],
    ...(installed[name] ? { from: installed[name].version } : {}),
  })).sort((a, b) => a.name.localeCompare(b.name));
}

function pick(name: string, cs: Constraint[], opts: ResolveOptions, rangeOpts: { includePrerelease: boolean }): { version: string; registry: string; entry: IndexVersion } {
  const pinned = cs.find((c) => c.registry)?.registry;
  const sources = pinned ? opts.sources.filter((s) => s.registry === pinned) : opts.sources;
  let known = false;
  let rangeOk = false;
  let best: { version: string; registry: string; entry: IndexVersion } | undefined;
  for (const s of sources) {
    const plugin = s.index.plugins[name];
    if (!plugin) continue;
    known = true;
    for (const [v, entry] of Object.entries(plugin.versions)) {
      if (!semver.valid(v)) continue;
      if (!cs.every((c) => semver.satisfies(v, c.range, rangeOpts))) continue;
      rangeOk = true;
      if (!enginesCompatible(entry, opts.engines)) continue;
      // Registries are in priority order: a later one wins only with a strictly higher version.
      if (!best || semver.gt(v, best.version)) best = { version: v, registry: s.registry, entry };
    }
  }
  if (best) return best;
  const requirers = [...new Set(cs.map((c) => c.by))];
  if (!known) {
    throw new PmError('RESOLVE_NOT_FOUND', `plugin ${name} is not in ${pinned ? `registry ${pinned}` : 'any configured registry'} (needed by ${requirers.join(', ')})`, {
      hint: "check the name with 'pm marketplace-search', or add the registry that has it with 'pm marketplace-add'",
      data: { name, requiredBy: requirers },
    });
  }
  if (!rangeOk) {
    // A range that no published version meets is the problem by itself, whatever else asks.
    const all = sources.flatMap((s) => Object.keys(s.index.plugins[name]?.versions ?? {}));
    const hopeless = cs.find((c) => !all.some((v) => semver.valid(v) && semver.satisfies(v, c.range, rangeOpts)));
    if (hopeless) cs = [hopeless];
    const msg = cs.length > 1 ? `no version of ${name} satisfies every range: ${describe(cs)}` : `no version of ${name} matches ${cs[0].range} (needed by ${cs[0].by})`;
    throw new PmError(cs.length > 1 ? 'RESOLVE_CONFLICT' : 'RESOLVE_NOT_FOUND', msg, {
      hint: cs.length > 1 ? 'install versions whose dependency ranges agree, or ask the publishers to widen them' : `see the published versions with 'pm marketplace-info ${name}'`,
      data: { name, constraints: cs.map(({ range, by }) => ({ range, by })) },
    });
  }
  throw new PmError('RESOLVE_ENGINES', `no version of ${name} matching ${cs.map((c) => c.range).join(' and ')} supports pm ${opts.engines.pm} and Node ${opts.engines.node}`, {
    hint: `upgrade pm or Node, or see each version's engines with 'pm marketplace-info ${name}'`,
    data: { name, engines: opts.engines },
  });
}
