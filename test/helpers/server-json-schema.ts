import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type AjvModule from 'ajv';
import type addFormatsModule from 'ajv-formats';
import { repoRoot } from './pm.js';

const require = createRequire(import.meta.url);

/** The vendored official server.json schema (2025-12-11, draft-07) as an ajv validator; errors as "path message" lines. */
export function serverJsonValidator(): (doc: unknown) => string[] {
  const Ajv = (require('ajv') as typeof AjvModule).default;
  const addFormats = (require('ajv-formats') as typeof addFormatsModule).default;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const schema = JSON.parse(readFileSync(join(repoRoot, 'test', 'fixtures', 'mcp-registry-schema', 'server.schema.json'), 'utf8'));
  const validate = ajv.compile(schema);
  return (doc) => (validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`));
}
