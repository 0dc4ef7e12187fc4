import semver from 'semver';
import { PmError } from '../errors.js';
import type { IndexPlugin, IndexVersion } from '../index-format/types.js';
import type { Manifest } from '../manifest/types.js';

/**
 * The facts of one package's manifest that a registry index carries: the index's own fields
 * (core/index-format) plus name and version, not another model of a plugin.
 */
export type ManifestFacts = Pick<Manifest, 'name' | 'version'>
  & Pick<IndexPlugin, 'description' | 'author' | 'license' | 'homepage' | 'categories' | 'tags'>
  & Pick<IndexVersion, 'engines' | 'dependencies' | 'tools' | 'permissions'>;

const NAME = /^[a-z][a-z0-9-]{0,49}$/;

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function stringMap(v: unknown): Record<string, string> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** Takes a package's manifest apart for the index; refuses one without a valid name and version. */
export function manifestFacts(m: Record<string, unknown>, where: string): ManifestFacts {
  const name = m.name;
  const version = m.version;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new PmError('PACKAGE_MANIFEST_INVALID', `${where}: plugin.json has no valid name`, { hint: "check the plugin with 'pm plugin-validate' and package it again" });
  }
  if (typeof version !== 'string' || !semver.valid(version)) {
    throw new PmError('PACKAGE_MANIFEST_INVALID', `${where}: plugin.json version "${String(version)}" is not semver`, { hint: "check the plugin with 'pm plugin-validate' and package it again" });
  }
  const author = typeof m.author === 'string' ? m.author : typeof m.author === 'object' && m.author && typeof (m.author as { name?: unknown }).name === 'string' ? (m.author as { name: string }).name : undefined;
  const contributes = (typeof m.contributes === 'object' && m.contributes) ? m.contributes as { tools?: unknown } : {};
  const tools = Array.isArray(contributes.tools) ? contributes.tools.map((t) => (t as { name?: unknown })?.name).filter((n): n is string => typeof n === 'string') : [];
  const permissions = typeof m.permissions === 'object' && m.permissions && !Array.isArray(m.permissions) ? m.permissions as Record<string, unknown> : undefined;
  return {
    name, version,
    description: typeof m.description === 'string' ? m.description : '',
    ...(author ? { author } : {}),
    ...(typeof m.license === 'string' ? { license: m.license } : {}),
    ...(typeof m.homepage === 'string' ? { homepage: m.homepage } : {}),
    categories: strings(m.categories), tags: strings(m.tags),
    engines: stringMap(m.engines), dependencies: stringMap(m.dependencies), tools,
    ...(permissions ? { permissions } : {}),
  };
}
