// Subpath imports: the semver index loads all ~50 of its modules, which costs start-up time.
import validRange from 'semver/ranges/valid.js';
import satisfies from 'semver/functions/satisfies.js';
import { createRequire } from 'node:module';
import { PmError } from '../errors.js';

/** The running pm's version (package.json). */
export function pmVersion(): string {
  return (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;
}

export interface EngineVersions {
  pm: string;
  node: string;
}

/** The versions engines are checked against: this pm and this Node. */
export function currentEngines(): EngineVersions {
  return { pm: pmVersion(), node: process.versions.node };
}

/** Throws ENGINE_MISMATCH when `engines.pm` or `engines.node` of a manifest rejects the running versions. */
export function checkEngines(plugin: { name: string; version: string; engines?: { pm?: string; node?: string } }, versions: EngineVersions = currentEngines()): void {
  for (const engine of ['pm', 'node'] as const) {
    const range = plugin.engines?.[engine];
    if (range === undefined) continue;
    if (!validRange(range)) {
      throw new PmError('ENGINE_INVALID', `${plugin.name}@${plugin.version} has an invalid engines.${engine} range "${range}"`, {
        hint: 'ask the plugin author to fix plugin.json (pm plugin-validate reports it)', data: { plugin: plugin.name, engine, range },
      });
    }
    if (!satisfies(versions[engine], range, { includePrerelease: true })) {
      const what = engine === 'pm' ? `pm ${range}` : `Node ${range}`;
      throw new PmError('ENGINE_MISMATCH', `${plugin.name}@${plugin.version} needs ${what}, but this is ${engine === 'pm' ? 'pm' : 'Node'} ${versions[engine]}`, {
        hint: engine === 'pm' ? `upgrade pm (npm install -g pmkit), or install a version of ${plugin.name} made for pm ${versions.pm}` : `run pm on a Node that satisfies ${range}, or install another version of ${plugin.name}`,
        data: { plugin: plugin.name, engine, range, current: versions[engine] },
      });
    }
  }
}
