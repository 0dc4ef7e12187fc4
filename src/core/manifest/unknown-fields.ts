import type { Findings } from '../warn.js';
import { didYouMean } from './did-you-mean.js';
import { childPath } from './json-path.js';

type SchemaNode = Record<string, unknown>;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function resolve(node: SchemaNode, root: SchemaNode): SchemaNode {
  let n = node;
  // Only local refs (#/$defs/x) occur in plugin.schema.json.
  while (typeof n.$ref === 'string' && n.$ref.startsWith('#/')) {
    let target: unknown = root;
    for (const seg of n.$ref.slice(2).split('/')) target = isObject(target) ? target[seg] : undefined;
    if (!isObject(target)) break;
    n = target;
  }
  return n;
}

/**
 * Reports keys the schema does not know, with a did-you-mean, through `findings.warn`
 * (an error under --strict); an unknown key directly inside `contributes` is always an error. The schema leaves additionalProperties open on purpose so
 * that ajv does not hard-fail on them; nodes marked `x-open` (embedded JSON Schemas) are
 * not checked.
 */
export function checkUnknownFields(value: unknown, schema: SchemaNode, findings: Findings): void {
  const walk = (node: SchemaNode, v: unknown, path: string): void => {
    const s = resolve(node, schema);
    if (s['x-open'] === true) return;
    if (Array.isArray(v) && isObject(s.items)) {
      v.forEach((item, i) => walk(s.items as SchemaNode, item, childPath(path, i)));
      return;
    }
    if (!isObject(v) || !isObject(s.properties)) return;
    const props = s.properties as Record<string, SchemaNode>;
    for (const [key, child] of Object.entries(v)) {
      if (Object.hasOwn(props, key)) {
        walk(props[key], child, childPath(path, key));
        continue;
      }
      const guess = didYouMean(key, Object.keys(props));
      const where = childPath(path, key);
      // A misspelt kind of contribution (tool for tools) hides everything under it: never only a warning.
      if (path === 'contributes') {
        findings.error('MANIFEST_UNKNOWN_CONTRIBUTION', guess ? `is not a kind of contribution; did you mean "${guess}"?` : 'is not a kind of contribution', {
          where,
          hint: guess ? `rename it to "${guess}"` : `remove it; contributions are: ${Object.keys(props).join(', ')}`,
          data: { field: key, ...(guess ? { suggestion: guess } : {}) },
        });
        continue;
      }
      findings.warn('MANIFEST_UNKNOWN_FIELD', guess ? `is not a known field; did you mean "${guess}"?` : 'is not a known field', {
        where,
        hint: guess ? `rename it to "${guess}"` : `remove it; known fields here: ${Object.keys(props).join(', ')}`,
        data: { field: key, ...(guess ? { suggestion: guess } : {}) },
      });
    }
  };
  walk(schema, value, '');
}
