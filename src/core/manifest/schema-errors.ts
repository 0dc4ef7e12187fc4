import type { ErrorObject } from 'ajv';
import type { Finding } from '../warn.js';
import { childPath, fromPointer } from './json-path.js';

type SchemaNode = Record<string, unknown> | undefined;

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
  null: 'null',
};

function hintOf(schema: SchemaNode): string | undefined {
  const h = schema?.['x-hint'];
  return typeof h === 'string' ? h : undefined;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** One ajv error as a finding: where (JSON path), what is wrong, and how to fix it (the schema's x-hint). */
function toFinding(e: ErrorObject): Finding | undefined {
  const parent = e.parentSchema as SchemaNode;
  let where = fromPointer(e.instancePath);
  const p = e.params as Record<string, unknown>;
  let message: string;
  let hint = hintOf(parent);
  switch (e.keyword) {
    case 'required': {
      const missing = String(p.missingProperty);
      where = childPath(where, missing);
      message = 'is required';
      const props = parent?.properties as Record<string, SchemaNode> | undefined;
      hint = hintOf(props?.[missing]) ?? `add "${missing}"`;
      break;
    }
    case 'type': {
      const types = String(p.type).split(',').map((t) => TYPE_NAMES[t] ?? t);
      message = `must be ${types.join(' or ')}`;
      break;
    }
    case 'pattern':
      message = `must match ${String(p.pattern)}`;
      break;
    case 'enum':
      message = `must be one of ${(p.allowedValues as unknown[]).map((v) => String(v)).join(', ')}`;
      break;
    case 'const':
      message = `must be ${JSON.stringify(p.allowedValue)}`;
      break;
    case 'minLength':
      message = p.limit === 1 ? 'must not be empty' : `must be at least ${plural(Number(p.limit), 'character')}`;
      break;
    case 'maxLength':
      message = `must be at most ${plural(Number(p.limit), 'character')}`;
      break;
    case 'minItems':
      message = `must have at least ${plural(Number(p.limit), 'item')}`;
      break;
    case 'maxItems':
      message = `must have at most ${plural(Number(p.limit), 'item')}`;
      break;
    case 'uniqueItems':
      message = `must not repeat items ([${Math.min(Number(p.i), Number(p.j))}] and [${Math.max(Number(p.i), Number(p.j))}] are the same)`;
      hint ??= 'remove the duplicate';
      break;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      message = `must be ${String(p.comparison)} ${String(p.limit)}`;
      break;
    case 'propertyNames':
      // The failing name is reported by the nested error, which carries `propertyName`.
      return undefined;
    default:
      message = e.message ?? `fails ${e.keyword}`;
  }
  if (e.propertyName !== undefined) {
    where = childPath(where, e.propertyName);
    message = `name ${message}`;
  }
  return { code: `MANIFEST_${e.keyword.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase()}`, message, severity: 'error', where: where || '(root)', ...(hint ? { hint } : {}) };
}

/** Turns ajv's errors into findings, one per problem, in document order. */
export function schemaFindings(errors: readonly ErrorObject[] | null | undefined): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    const f = toFinding(e);
    if (!f) continue;
    const key = `${f.where}\0${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out;
}
