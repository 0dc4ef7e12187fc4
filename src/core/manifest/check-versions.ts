// Subpath imports: the semver index loads every module, which costs start-up time.
import semverValid from 'semver/functions/valid.js';
import validRange from 'semver/ranges/valid.js';
import type { ManifestCheckContext } from './check-context.js';
import { childPath } from './json-path.js';
import { field, isObject, str } from './shape.js';

function checkRange(ctx: ManifestCheckContext, where: string, range: unknown): void {
  if (typeof range !== 'string') return; // the schema reports the type
  if (range.trim() === '' || validRange(range) === null) {
    ctx.findings.error('MANIFEST_RANGE', `${JSON.stringify(range)} is not a valid semver range`, {
      where,
      hint: 'use a range such as ^1.0.0, >=20 or 1.x; * means any version',
    });
  }
}

/** `version` is exact semver; every range in engines and dependencies parses; a plugin does not depend on itself. */
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
