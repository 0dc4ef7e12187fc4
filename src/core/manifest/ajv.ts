import { createRequire } from 'node:module';
import type Ajv2020Module from 'ajv/dist/2020.js';
import type { ValidateFunction, Options } from 'ajv/dist/2020.js';
import type addFormatsModule from 'ajv-formats';
import type { Manifest } from './types.js';

const require = createRequire(import.meta.url);

export type Ajv = InstanceType<typeof Ajv2020Module.default>;

/**
 * The shared ajv factory (draft 2020-12, formats, every error at once). Plugin-supplied
 * schemas (tool inputSchema, config) may carry keywords ajv does not know, so strict is off
 * unless asked for. ajv and ajv-formats (~80 CommonJS modules, ~40 ms) are loaded on the first
 * call, not on import: the manifest validator is precompiled, so a plugin without tool or
 * config schemas never needs them (plugin-install, the host).
 */
export function createAjv(options: Options = {}): Ajv {
  // CommonJS: `.default` is the class / plugin itself.
  const Ajv2020 = (require('ajv/dist/2020') as typeof Ajv2020Module).default;
  const addFormats = (require('ajv-formats') as typeof addFormatsModule).default;
  const ajv = new Ajv2020({ allErrors: true, strict: false, ...options });
  addFormats(ajv);
  return ajv;
}

/** The manifest's JSON Schema as data (the file shipped beside this module). */
export function manifestSchema(): Record<string, unknown> {
  return require('./plugin.schema.json') as Record<string, unknown>;
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
    const mod = require('./plugin-schema.validate.cjs') as { default?: ValidateFunction<Manifest> };
    return mod.default ?? (mod as unknown as ValidateFunction<Manifest>);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}
