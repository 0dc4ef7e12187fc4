import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PmError } from '../errors.js';

/** What packing needs from a validated plugin. */
export interface PackManifest {
  name: string;
  version: string;
  [key: string]: unknown;
}

/**
 * Validates the plugin before it is packed; an invalid plugin throws PmError kind
 * 'validation' (exit 3) whose data carries the report.
 * TEMPORARY: checks plugin.json's name and version only, until the `validate` branch's
 * validatePlugin() is merged and called here.
 */
export async function validateBeforePack(dir: string, _opts: { strict?: boolean } = {}): Promise<{ manifest: PackManifest; warnings: unknown[] }> {
  let text: string;
  try {
    text = await readFile(join(dir, 'plugin.json'), 'utf8');
  } catch {
    throw new PmError('PLUGIN_NOT_FOUND', `${dir} has no plugin.json`, { kind: 'validation', hint: "run 'pm plugin-create' or point at a plugin folder" });
  }
  let m: PackManifest;
  try {
    m = JSON.parse(text);
  } catch (err) {
    throw new PmError('MANIFEST_INVALID', `plugin.json is not valid JSON: ${(err as Error).message}`, { kind: 'validation', hint: "run 'pm plugin-validate' for details" });
  }
  if (typeof m?.name !== 'string' || !/^[a-z][a-z0-9-]{0,49}$/.test(m.name) || typeof m.version !== 'string' || !/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$/.test(m.version)) {
    throw new PmError('MANIFEST_INVALID', 'plugin.json needs a valid name and semver version', { kind: 'validation', hint: "run 'pm plugin-validate' for details" });
  }
  return { manifest: m, warnings: [] };
}
