import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
// Subpath imports: the semver index loads all ~50 of its modules, which costs start-up time.
import semverValid from 'semver/functions/valid.js';
import validRange from 'semver/ranges/valid.js';
import { PmError } from '../errors.js';
import { PLUGIN_NAME } from './paths.js';

/** The manifest fields the store reads (the full type and schema live in core/manifest). */
export interface StoreManifest {
  name: string;
  version: string;
  description?: string;
  author?: string;
  license?: string;
  main?: string;
  engines?: Record<string, string>;
  dependencies?: Record<string, string>;
  contributes?: {
    tools?: { name: string; description?: string }[];
    prompts?: { name: string; description?: string }[];
    resources?: { uri: string; name?: string }[];
    hooks?: { event: string; priority?: number; match?: unknown }[];
    events?: string[];
  };
  permissions?: {
    fs?: { read?: string[]; write?: string[] };
    network?: string[] | boolean;
    env?: string[];
    childProcess?: boolean;
    worker?: boolean;
    addons?: boolean;
  };
  config?: Record<string, unknown>;
  [k: string]: unknown;
}

/** Checks the fields the store relies on; the full schema check is plugin-validate's job. */
export function checkStoreManifest(m: unknown, where: string): StoreManifest {
  const bad = (msg: string) => new PmError('MANIFEST_INVALID', `${where}: ${msg}`, {
    kind: 'validation', hint: 'fix plugin.json (pm plugin-validate shows every problem) and try again', data: { where },
  });
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
  return o as StoreManifest;
}

/** Reads and checks plugin.json in a plugin folder. */
export async function readStoreManifest(dir: string): Promise<StoreManifest> {
  const file = join(dir, 'plugin.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new PmError('MANIFEST_MISSING', `${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, {
      kind: 'validation', hint: 'a plugin folder has a plugin.json; create one with pm plugin-create', data: { file },
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new PmError('MANIFEST_INVALID', `${file} is not valid JSON (${(err as Error).message})`, {
      kind: 'validation', hint: 'fix plugin.json (pm plugin-validate shows the problem)', data: { file },
    });
  }
  return checkStoreManifest(parsed, file);
}
