import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { PmError } from '../errors.js';
import { createAjv } from '../manifest/ajv.js';

let validator: ValidateFunction | undefined;

/** Compiles the index.json schema once per process with the shared ajv factory (strict: the schema is ours). */
function compile(): ValidateFunction {
  if (validator) return validator;
  const ajv = createAjv({ allErrors: false, strict: true, allowUnionTypes: true });
  validator = ajv.compile(createRequire(import.meta.url)('./index.schema.json') as Record<string, unknown>);
  return validator;
}

/** Throws INDEX_INVALID (exit 4) when a registry index does not match the schema. */
export function checkIndexSchema(registry: string, index: unknown): void {
  const validate = compile();
  if (validate(index)) return;
  const e = validate.errors?.[0];
  const where = e?.instancePath || '/';
  throw new PmError('INDEX_INVALID', `registry ${registry}: index.json is not a valid index: ${where} ${e?.message ?? ''}`.trim(), {
    hint: "tell the registry operator; 'pm registry-validate' finds such problems before publishing",
    data: { registry, errors: validate.errors },
  });
}
