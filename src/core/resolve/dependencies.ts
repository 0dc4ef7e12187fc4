// Subpath imports: the semver index loads all ~50 of its modules, which costs start-up time.
import validRange from 'semver/ranges/valid.js';
import satisfies from 'semver/functions/satisfies.js';
import { PmError } from '../errors.js';

/** A plugin as dependency resolution sees it. */
export interface ResolvedPlugin {
  name: string;
  version: string;
  dependencies: Record<string, string>;
}

export interface DependencyProblem {
  plugin: string;
  version: string;
  dependency: string;
  range: string;
  /** The version installed, or null when it is missing. */
  installed: string | null;
}

/** Dependencies of `plugins` that `available` does not satisfy. */
export function unmetDependencies(plugins: ResolvedPlugin[], available: Map<string, string>): DependencyProblem[] {
  const problems: DependencyProblem[] = [];
  for (const p of plugins) {
    for (const [dep, range] of Object.entries(p.dependencies)) {
      const have = available.get(dep) ?? null;
      if (have === null || !validRange(range) || !satisfies(have, range, { includePrerelease: true })) {
        problems.push({ plugin: p.name, version: p.version, dependency: dep, range, installed: have });
      }
    }
  }
  return problems;
}

function describe(p: DependencyProblem): string {
  return p.installed === null
    ? `${p.plugin}@${p.version} needs ${p.dependency} ${p.range}, which is not installed`
    : `${p.plugin}@${p.version} needs ${p.dependency} ${p.range}, but ${p.dependency}@${p.installed} is installed`;
}

/**
 * Checks that, after installing `incoming` over `installed`, every incoming plugin finds its
 * dependencies and every installed plugin still finds the versions it needs.
 */
export function checkDependencies(incoming: ResolvedPlugin[], installed: ResolvedPlugin[]): void {
  const after = new Map(installed.map((p) => [p.name, p.version]));
  for (const p of incoming) after.set(p.name, p.version);

  const own = unmetDependencies(incoming, after);
  if (own.length) {
    const missing = own.filter((p) => p.installed === null);
    const hint = missing.length
      ? `install ${missing.map((m) => `${m.dependency} ${m.range}`).join(', ')} first: pm marketplace-install ${missing.map((m) => `'${m.dependency}@${m.range}'`).join(' ')} (or pm plugin-install <dir|tgz> of ${missing.length > 1 ? 'each' : 'it'})`
      : `update ${own.map((m) => m.dependency).join(', ')} to a matching version first: pm plugin-update ${own[0]!.dependency} <dir|tgz|url>`;
    throw new PmError(missing.length ? 'DEPENDENCY_MISSING' : 'DEPENDENCY_CONFLICT', own.map(describe).join('; '), {
      hint, data: { problems: own },
    });
  }

  const incomingNames = new Set(incoming.map((p) => p.name));
  const dependents = installed.filter((p) => !incomingNames.has(p.name));
  const broken = unmetDependencies(dependents, after).filter((p) => incomingNames.has(p.dependency));
  if (broken.length) {
    const b = broken[0]!;
    throw new PmError('DEPENDENT_WOULD_BREAK', `installing ${b.dependency}@${after.get(b.dependency)} would break ${broken.map((x) => `${x.plugin}@${x.version} (needs ${x.dependency} ${x.range})`).join(', ')}`, {
      hint: `install a version of ${b.dependency} that satisfies ${b.range}, or update or uninstall ${broken.map((x) => x.plugin).join(', ')} first`,
      data: { problems: broken },
    });
  }
}

/** Installed plugins that depend on `name` (any range). */
export function dependentsOf(name: string, installed: ResolvedPlugin[]): ResolvedPlugin[] {
  return installed.filter((p) => p.name !== name && Object.hasOwn(p.dependencies, name));
}
