// Subpath imports: the semver index loads every module, which costs start-up time.
import semverValid from 'semver/functions/valid.js';
import validRange from 'semver/ranges/valid.js';
import satisfies from 'semver/functions/satisfies.js';
import { createRequire } from 'node:module';
import type { ManifestCheckContext } from './check-context.js';
import { childPath } from './json-path.js';
import { field, isObject, str } from './shape.js';

/** This pm's version (src/ and dist/ both sit three folders below package.json). */
export const PM_VERSION = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

/** Whether `range` parses; reports it when it does not. */
function checkRange(ctx: ManifestCheckContext, where: string, range: unknown): range is string {
  if (typeof range !== 'string') return false; // the schema reports the type
  if (range.trim() === '' || validRange(range) === null) {
    ctx.findings.error('MANIFEST_RANGE', `${JSON.stringify(range)} is not a valid semver range`, {
      where,
      hint: 'use a range such as ^1.0.0, >=20 or 1.x; * means any version',
    });
    return false;
  }
  return true;
}

/** `version` is exact semver; every range in engines and dependencies parses; engines.pm includes this pm; a plugin does not depend on itself. */
export function checkVersions(ctx: ManifestCheckContext): void {
  const { manifest: m, findings } = ctx;
  const version = str(m.version);
  if (version !== undefined) {
    const clean = semverValid(version);
    if (clean === null) {
      findings.error('MANIFEST_SEMVER', `${JSON.stringify(version)} is not a valid semver version`, {
        where: 'version',
        hint: 'use MAJOR.MINOR.PATCH, e.g. 1.2.0 (optionally with -prerelease)',
      });
    } else if (clean !== version) {
      findings.error('MANIFEST_SEMVER', `${JSON.stringify(version)} is not written in canonical semver form`, {
        where: 'version',
        hint: `write it as ${clean}`,
      });
    }
  }
  const engines = field(m, 'engines');
  if (isObject(engines)) {
    for (const key of ['pm', 'node']) if (key in engines) checkRange(ctx, `engines.${key}`, engines[key]);
    const pm = engines.pm;
    if (typeof pm === 'string' && validRange(pm) !== null && !satisfies(PM_VERSION, pm, { includePrerelease: true })) {
      findings.warn('MANIFEST_ENGINE_PM', `${JSON.stringify(pm)} does not include this pm (${PM_VERSION}): it will refuse to install the plugin`, {
        where: 'engines.pm',
        hint: `widen the range (e.g. ^${PM_VERSION.split('.')[0]}.0.0) or use a pm it includes`,
      });
    }
  }
  const deps = field(m, 'dependencies');
  if (isObject(deps)) {
    for (const [name, range] of Object.entries(deps)) {
      const where = childPath('dependencies', name);
      checkRange(ctx, where, range);
      if (name === m.name) {
        findings.error('MANIFEST_SELF_DEPENDENCY', 'a plugin cannot depend on itself', { where, hint: `remove "${name}" from dependencies` });
      }
    }
  }
}
