/** Where editors find the manifest schema; written as `$schema` in every generated plugin.json. */
export const SCHEMA_URL = 'https://unpkg.com/pmkit/dist/core/manifest/plugin.schema.json';
