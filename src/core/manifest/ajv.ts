import { createRequire } from 'node:module';
import Ajv2020Module, { type ValidateFunction, type Options } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { Manifest } from './types.js';

// ajv and ajv-formats are CommonJS; under NodeNext the default import is `module.exports`,
// whose `.default` is the class / plugin itself.
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

export type Ajv = InstanceType<typeof Ajv2020>;

/**
 * The shared ajv factory (draft 2020-12, formats, every error at once). Plugin-supplied
 * schemas (tool inputSchema, config) may carry keywords ajv does not know, so strict is off
 * unless asked for.
 */
export function createAjv(options: Options = {}): Ajv {
  const ajv = new Ajv2020({ allErrors: true, strict: false, ...options });
  addFormats(ajv);
  return ajv;
}

/** The manifest's JSON Schema as data (the file shipped beside this module). */
export function manifestSchema(): Record<string, unknown> {
  return createRequire(import.meta.url)('./plugin.schema.json') as Record<string, unknown>;
}

let cached: ValidateFunction<Manifest> | undefined;

/** The manifest validator (verbose: errors carry their schema for hints), loaded or compiled once per process. */
export function manifestValidator(): ValidateFunction<Manifest> {
  cached ??= precompiledValidator() ?? createAjv({ verbose: true }).compile<Manifest>(manifestSchema());
  return cached;
}

/** The validator scripts/build.mjs generated beside this module, when running from dist/. */
function precompiledValidator(): ValidateFunction<Manifest> | undefined {
  try {
    const mod = createRequire(import.meta.url)('./plugin-schema.validate.cjs') as { default?: ValidateFunction<Manifest> };
    return mod.default ?? (mod as unknown as ValidateFunction<Manifest>);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}
