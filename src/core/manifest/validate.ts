import { Findings, type Finding } from '../warn.js';
import { manifestSchema, manifestValidator } from './ajv.js';
import type { ManifestCheck } from './check-context.js';
import { checkContributions } from './check-contributions.js';
import { checkHooks } from './check-hooks.js';
import { checkPermissions } from './check-permissions.js';
import { checkPromptTemplates } from './check-prompts.js';
import { checkVersions } from './check-versions.js';
import { schemaFindings } from './schema-errors.js';
import { isObject } from './shape.js';
import { checkUnknownFields } from './unknown-fields.js';

export interface ValidateManifestOptions {
  /** The plugin folder: enables the checks that read files (prompt templates). */
  dir?: string;
  /** Unknown fields and other lint findings become errors. */
  strict?: boolean;
}

/** The rules beyond the JSON Schema, in report order. */
export const manifestChecks: ManifestCheck[] = [checkVersions, checkContributions, checkPromptTemplates, checkPermissions, checkHooks];

/**
 * Validates a parsed plugin.json: the JSON Schema, unknown fields (warnings with a
 * did-you-mean; errors when strict) and the rules beyond the schema. Returns every finding
 * at once, each with its JSON path in `where`.
 */
export async function validateManifest(value: unknown, opts: ValidateManifestOptions = {}): Promise<Finding[]> {
  const validate = manifestValidator();
  const findings = new Findings(Boolean(opts.strict));
  if (!validate(value)) findings.items.push(...schemaFindings(validate.errors));
  if (!isObject(value)) return findings.items;
  checkUnknownFields(value, manifestSchema(), findings);
  for (const check of manifestChecks) await check({ manifest: value, findings, dir: opts.dir });
  return findings.items;
}
