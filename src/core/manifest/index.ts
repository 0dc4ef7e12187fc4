// The manifest module: plugin.json's schema, types, reading and validation.
export type * from './types.js';
export { SCHEMA_URL, MANIFEST_FILE } from './schema-url.js';
export { createAjv, manifestSchema, manifestValidator, type Ajv } from './ajv.js';
export { readManifest, readPluginManifest, readPluginManifestJson } from './read.js';
export { validateManifest, manifestChecks, type ValidateManifestOptions } from './validate.js';
export { formatFinding } from './format.js';
export { WIRE_NAME_MAX, WIRE_SEPARATOR } from './check-contributions.js';
