/** Where editors find plugin.schema.json: plugin-create writes it as the manifest's `$schema`. */
export const SCHEMA_URL = 'https://unpkg.com/pmkit/dist/core/manifest/plugin.schema.json';

/** The manifest's file name inside a plugin folder. */
export const MANIFEST_FILE = 'plugin.json';
