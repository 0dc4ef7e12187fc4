import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { PmError } from '../errors.js';

let validator: ValidateFunction | undefined;

/** Compiles the index.json schema once per process (ajv is loaded only when an index is checked). */
function compile(): ValidateFunction {
  if (validator) return validator;
  const require = createRequire(import.meta.url);
  const Ajv2020 = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js').default;
  const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
  const ajv = new Ajv2020({ allErrors: false, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  validator = ajv.compile(require('../registry/index.schema.json'));
  return validator;
}

/** Throws INDEX_INVALID (exit 4) when a registry index does not match the schema. */
export function checkIndexSchema(registry: string, index: unknown): void {
  const validate = compile();
  if (validate(index)) return;
  const e = validate.errors?.[0];
  const where = e?.instancePath || '/';
  throw new PmError('INDEX_INVALID', `registry ${registry}: index.json is not a valid index: ${where} ${e?.message ?? ''}`.trim(), {
    kind: 'verification',
    hint: "tell the registry operator; 'pm registry-validate' finds such problems before publishing",
    data: { registry, errors: validate.errors },
  });
}
