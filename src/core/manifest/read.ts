import { join } from 'node:path';
// Subpath imports: the semver index loads all ~50 of its modules, which costs start-up time.
import semverValid from 'semver/functions/valid.js';
import validRange from 'semver/ranges/valid.js';
import { PmError, isPmError, type ErrorCode } from '../errors.js';
import { readRegularFile } from '../fs/read-regular-file.js';
import { parseUntrustedJson } from '../json/parse-untrusted.js';
import type { Finding } from '../warn.js';
import { formatFinding } from './format.js';
import { MANIFEST_FILE } from './schema-url.js';
import type { Manifest } from './types.js';

/** The one size limit of plugin.json, in a folder and in a package alike. */
export const MAX_MANIFEST_BYTES = 1024 * 1024;

/** How the host runs a plugin: an ES module on pm's runner, or an MCP server over stdio (DESIGN §2). */
export type PluginKind = 'module' | 'server';

/** A plugin folder's manifest as every reader gets it. */
export interface PluginManifest {
  /** The plugin folder. */
  dir: string;
  /** `<dir>/plugin.json`. */
  file: string;
  /** Derived from the manifest: what the host switches on. */
  kind: PluginKind;
  manifest: Manifest;
}

export interface ReadPluginManifestOptions {
  /**
   * 'basic' (default): an object with a valid name, version and dependencies (what the store
   * and host rely on; the rest was validated at install). 'full': the schema and every rule
   * beyond it (unknown fields stay warnings).
   */
  check?: 'basic' | 'full';
}

const PLUGIN_NAME = /^[a-z][a-z0-9-]{0,49}$/;
const FIX_HINT = 'fix plugin.json (pm plugin-validate shows every problem) and try again';
// parse-untrusted's codes, as the manifest's own.
const MANIFEST_CODES: Record<string, ErrorCode> = {
  JSON_TOO_LARGE: 'MANIFEST_TOO_LARGE', JSON_NOT_UTF8: 'MANIFEST_NOT_UTF8', JSON_TOO_DEEP: 'MANIFEST_TOO_DEEP', JSON_SYNTAX: 'MANIFEST_INVALID_JSON',
};

/**
 * Parses plugin.json bytes from a folder or a package: at most MAX_MANIFEST_BYTES, strict
 * UTF-8, nesting at most 64 deep. Throws PmError (kind validation) MANIFEST_TOO_LARGE,
 * MANIFEST_NOT_UTF8, MANIFEST_TOO_DEEP or MANIFEST_INVALID_JSON (with line and column).
 */
export function parseManifestBytes(bytes: Uint8Array, what: string = MANIFEST_FILE, data: Record<string, unknown> = {}): unknown {
  try {
    return parseUntrustedJson(bytes, { what, maxBytes: MAX_MANIFEST_BYTES });
  } catch (err) {
    if (!isPmError(err) || !MANIFEST_CODES[err.code]) throw err;
    const hint = err.code === 'JSON_SYNTAX' ? 'fix the JSON syntax (no comments or trailing commas in plugin.json)'
      : err.code === 'JSON_TOO_LARGE' ? `a manifest is at most ${MAX_MANIFEST_BYTES} bytes (1 MiB): move data out of plugin.json`
        : err.hint;
    throw new PmError(MANIFEST_CODES[err.code]!, err.message, { hint, data: { ...data, ...err.data } });
  }
}

/** Reads `<dir>/plugin.json` as bytes: a regular file of at most MAX_MANIFEST_BYTES, checked before reading. */
async function readManifestFile(file: string): Promise<Uint8Array> {
  try {
    return await readRegularFile(file, {
      what: 'the manifest', maxBytes: MAX_MANIFEST_BYTES, notRegularCode: 'MANIFEST_NOT_FILE', tooLargeCode: 'MANIFEST_TOO_LARGE',
      hint: `plugin.json must be a regular file (not a folder, device or FIFO) of at most ${MAX_MANIFEST_BYTES} bytes (1 MiB)`,
    });
  } catch (err) {
    if (isPmError(err)) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new PmError('MANIFEST_MISSING', `${file} does not exist`, { hint: 'a plugin folder needs a plugin.json; create one with pm plugin-create', data: { file } });
    }
    if (code === 'EISDIR') throw new PmError('MANIFEST_NOT_FILE', `the manifest ${file} is a folder, not a regular file`, { hint: 'plugin.json must be a regular file', data: { file } });
    throw new PmError('MANIFEST_UNREADABLE', `cannot read ${file}: ${(err as Error).message}`, { hint: 'check the file\'s permissions', data: { file }, cause: err });
  }
}

/**
 * Reads and parses `<dir>/plugin.json` without checking its fields (plugin-validate reports
 * those itself). Throws PmError MANIFEST_MISSING, MANIFEST_NOT_FILE, MANIFEST_UNREADABLE or one
 * of parseManifestBytes's refusals.
 */
export async function readPluginManifestJson(dir: string): Promise<unknown> {
  const file = join(dir, MANIFEST_FILE);
  return parseManifestBytes(await readManifestFile(file), MANIFEST_FILE, { file });
}

/** Checks the fields the store and host rely on; the full check is validateManifest's. */
export function checkManifestBasics(m: unknown, where: string): Manifest {
  const bad = (msg: string) => new PmError('MANIFEST_INVALID', `${where}: ${msg}`, { hint: FIX_HINT, data: { where } });
  if (typeof m !== 'object' || m === null || Array.isArray(m)) throw bad('plugin.json is not a JSON object');
  const o = m as Record<string, unknown>;
  if (typeof o.name !== 'string' || !PLUGIN_NAME.test(o.name)) throw bad(`"name" must match ${PLUGIN_NAME} (got ${JSON.stringify(o.name)})`);
  if (typeof o.version !== 'string' || !semverValid(o.version)) throw bad(`"version" must be a semver version (got ${JSON.stringify(o.version)})`);
  if (o.dependencies !== undefined) {
    if (typeof o.dependencies !== 'object' || o.dependencies === null || Array.isArray(o.dependencies)) throw bad('"dependencies" must be an object of name → version range');
    for (const [dep, range] of Object.entries(o.dependencies)) {
      if (!PLUGIN_NAME.test(dep) || typeof range !== 'string' || !validRange(range)) throw bad(`dependency "${dep}": ${JSON.stringify(range)} is not a valid version range`);
    }
  }
  return o as unknown as Manifest;
}

/** The kind of plugin a manifest describes. */
export function manifestKind(m: Manifest): PluginKind {
  return m.server !== undefined ? 'server' : 'module';
}

/** Throws MANIFEST_INVALID listing every error, if there are any. */
export function assertNoErrors(file: string, findings: Finding[]): void {
  const errors = findings.filter((f) => f.severity === 'error');
  if (!errors.length) return;
  const list = errors.map((f) => `  ${formatFinding(f)}`).join('\n');
  throw new PmError('MANIFEST_INVALID', `${file} is invalid (${errors.length} ${errors.length === 1 ? 'error' : 'errors'}):\n${list}`, {
    hint: 'fix the fields listed above; pm plugin-validate shows every problem with the folder too',
    data: { file, errors },
  });
}

/**
 * Reads `<dir>/plugin.json` the one way every reader does (store, host, testing, build,
 * validate, pack): bounded, strict UTF-8, depth-limited, then checked per `options.check`.
 */
export async function readPluginManifest(dir: string, options: ReadPluginManifestOptions = {}): Promise<PluginManifest> {
  const file = join(dir, MANIFEST_FILE);
  const value = await readPluginManifestJson(dir);
  if (options.check === 'full') {
    // Loaded only here: validation brings ajv.
    const { validateManifest } = await import('./validate.js');
    assertNoErrors(file, await validateManifest(value, { dir }));
  }
  const manifest = checkManifestBasics(value, file);
  return { dir, file, kind: manifestKind(manifest), manifest };
}

/** Reads, parses and fully validates `<dir>/plugin.json` (readPluginManifest with check 'full'). */
export async function readManifest(dir: string): Promise<Manifest> {
  return (await readPluginManifest(dir, { check: 'full' })).manifest;
}
