import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';

let ajvInstance: Promise<Ajv2020> | undefined;

/** One ajv for all tools, loaded on the first call (listing tools needs none). */
function loadAjv(): Promise<Ajv2020> {
  ajvInstance ??= (async () => {
    const { Ajv2020 } = await import('ajv/dist/2020.js');
    const formats = await import('ajv-formats');
    // ajv-formats is CommonJS: under NodeNext its default export is the module object.
    const addFormats = ((formats.default as unknown as { default?: unknown }).default ?? formats.default) as unknown as (ajv: Ajv2020) => void;
    // allErrors so the model learns every bad field at once; strict off because plugin
    // schemas may use annotations ajv does not know.
    const ajv = new Ajv2020({ allErrors: true, strict: false, validateSchema: false });
    addFormats(ajv);
    return ajv;
  })();
  return ajvInstance;
}

/** One argument problem, with the JSON path of the field it concerns. */
export interface ArgumentProblem {
  field: string;
  message: string;
}

/** Describes one ajv error with the field it names ("text", "items/0/id", or "(arguments)"). */
function describe(e: ErrorObject): ArgumentProblem {
  const base = e.instancePath.replace(/^\//, '');
  const join = (k: string) => (base ? `${base}/${k}` : k);
  switch (e.keyword) {
    case 'required':
      return { field: join(String(e.params.missingProperty)), message: 'is required' };
    case 'additionalProperties':
      return { field: join(String(e.params.additionalProperty)), message: 'is not an accepted argument' };
    default:
      return { field: base || '(arguments)', message: e.message ?? 'is invalid' };
  }
}

/** No problems (shared: callers only read it). */
const NONE = Object.freeze([]) as unknown as ArgumentProblem[];

function run(v: ValidateFunction | Error, args: unknown): ArgumentProblem[] {
  if (v instanceof Error) return [{ field: '(schema)', message: `the tool's inputSchema does not compile: ${v.message}` }];
  if (v(args)) return NONE;
  return (v.errors ?? []).map(describe);
}

/**
 * Compiles and caches one validator per tool `inputSchema`; a tool without a schema takes
 * any object. `clear()` it when manifests reload.
 */
export class ArgumentValidator {
  private readonly cache = new Map<string, ValidateFunction | Error>();

  /**
   * The problems with `args` for tool `id` (empty when they are valid), or undefined when the
   * tool's validator is not compiled yet (then use check()). Synchronous: a call does not
   * wait on a promise for a validator it already has.
   */
  checkNow(id: string, schema: Record<string, unknown> | undefined, args: unknown): ArgumentProblem[] | undefined {
    if (typeof args !== 'object' || args === null || Array.isArray(args)) return [{ field: '(arguments)', message: 'must be an object' }];
    if (!schema) return NONE;
    const v = this.cache.get(id);
    return v === undefined ? undefined : run(v, args);
  }

  /** Returns the problems with `args` for tool `id` (empty when they are valid), compiling its validator on first use. */
  async check(id: string, schema: Record<string, unknown> | undefined, args: unknown): Promise<ArgumentProblem[]> {
    const now = this.checkNow(id, schema, args);
    if (now) return now;
    let v = this.cache.get(id);
    if (!v) {
      const ajv = await loadAjv();
      try {
        // A declared $schema (often draft-07) would make ajv look up a meta-schema it lacks;
        // the keywords tools use mean the same in 2020-12.
        const { $schema: _ignored, ...rest } = schema!;
        v = ajv.compile(rest);
      } catch (err) {
        v = err as Error;
      }
      this.cache.set(id, v);
    }
    return run(v, args);
  }

  clear(): void {
    this.cache.clear();
  }
}

/** One line naming every bad field, for a tool error the model can act on. */
export function problemsText(tool: string, problems: ArgumentProblem[]): string {
  return `invalid arguments for ${tool}: ` + problems.map((p) => `'${p.field}' ${p.message}`).join('; ');
}
