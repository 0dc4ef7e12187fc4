import type { ManifestCheckContext } from './check-context.js';
import { createAjv, type Ajv } from './ajv.js';
import { childPath, fromPointer } from './json-path.js';
import { arrayOf, field, isObject, str } from './shape.js';

/** Longest tool name LLM APIs accept on the wire, and the characters they accept. */
export const WIRE_NAME_MAX = 64;
export const WIRE_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const PLUGIN_NAME = /^[a-z][a-z0-9-]{0,49}$/;
const TOOL_NAME = /^[a-z][a-z0-9_-]*$/;

/** The default separator between plugin and tool on the MCP wire (DESIGN §5). */
export const WIRE_SEPARATOR = '__';

/** Reports entries of `list` whose `key` repeats an earlier one. */
function checkDuplicates(ctx: ManifestCheckContext, path: string, list: unknown[], key: string, what: string): void {
  const first = new Map<string, number>();
  list.forEach((item, i) => {
    const k = str(field(item, key));
    if (k === undefined) return;
    const earlier = first.get(k);
    if (earlier === undefined) {
      first.set(k, i);
      return;
    }
    ctx.findings.error('MANIFEST_DUPLICATE', `duplicates ${childPath(path, earlier)}: two ${what} named ${JSON.stringify(k)}`, {
      where: childPath(childPath(path, i), key),
      hint: `give each ${what.replace(/s$/, '')} a distinct ${key}`,
    });
  });
}

let shared: Ajv | undefined;

/** Compiles a plugin-supplied JSON Schema; ajv reports the first problem it meets. */
function checkCompiles(ctx: ManifestCheckContext, schema: unknown, where: string): void {
  if (!isObject(schema)) return; // the schema reports the type
  // One instance per process (its meta-schema compiles once); each plugin schema is removed
  // again after the check, so schemas of different tools may reuse an $id.
  const ajv = (shared ??= createAjv());
  const hint = 'fix the schema (JSON Schema draft 2020-12; https://json-schema.org/understanding-json-schema/ lists the keywords)';
  // Against the meta-schema first: its first error names the keyword, unlike compile()'s summary.
  if (!ajv.validateSchema(schema)) {
    const e = ajv.errors?.[0];
    const at = e ? fromPointer(e.instancePath) : '';
    ctx.findings.error('MANIFEST_JSON_SCHEMA', `is not a valid JSON Schema: ${at ? `${at} ` : ''}${e?.message ?? 'invalid'}`, { where, hint });
    return;
  }
  try {
    ajv.compile(schema);
  } catch (err) {
    ctx.findings.error('MANIFEST_JSON_SCHEMA', `does not compile as JSON Schema: ${(err as Error).message}`, { where, hint });
  } finally {
    ajv.removeSchema(schema);
  }
}

/**
 * Tools: `<plugin>__<tool>` fits the wire, schemas compile, names are unique. Prompts and
 * resources: names / URIs are unique. `main` is there when code is needed.
 */
export function checkContributions(ctx: ManifestCheckContext): void {
  const { manifest: m, findings } = ctx;
  const contributes = field(m, 'contributes');
  const tools = arrayOf(field(contributes, 'tools'));
  const plugin = str(m.name);

  tools.forEach((tool, i) => {
    const base = childPath('contributes.tools', i);
    const name = str(field(tool, 'name'));
    // Only names that pass their own patterns: otherwise the schema has already said why.
    if (plugin && name && PLUGIN_NAME.test(plugin) && TOOL_NAME.test(name)) {
      const wire = `${plugin}${WIRE_SEPARATOR}${name}`;
      if (wire.length > WIRE_NAME_MAX) {
        findings.error('MANIFEST_WIRE_NAME', `"${wire}" is ${wire.length} characters; MCP clients accept tool names of at most ${WIRE_NAME_MAX}`, {
          where: `${base}.name`,
          hint: `shorten the tool or plugin name by ${wire.length - WIRE_NAME_MAX} characters`,
        });
      } else if (!WIRE_NAME_PATTERN.test(wire)) {
        findings.error('MANIFEST_WIRE_NAME', `"${wire}" has characters MCP clients refuse; they accept [A-Za-z0-9_-]`, {
          where: `${base}.name`,
          hint: 'use lowercase letters, digits, _ and - in tool names',
        });
      }
    }
    for (const key of ['inputSchema', 'outputSchema']) {
      const s = field(tool, key);
      if (s !== undefined) checkCompiles(ctx, s, `${base}.${key}`);
    }
  });
  if (field(m, 'config') !== undefined) checkCompiles(ctx, field(m, 'config'), 'config');

  checkDuplicates(ctx, 'contributes.tools', tools, 'name', 'tools');
  checkDuplicates(ctx, 'contributes.prompts', arrayOf(field(contributes, 'prompts')), 'name', 'prompts');
  checkDuplicates(ctx, 'contributes.resources', arrayOf(field(contributes, 'resources')), 'uri', 'resources');
  arrayOf(field(contributes, 'prompts')).forEach((prompt, i) => {
    checkDuplicates(ctx, `${childPath('contributes.prompts', i)}.arguments`, arrayOf(field(prompt, 'arguments')), 'name', 'arguments');
  });

  const needsCode = ['tools', 'resources', 'hooks'].filter((k) => arrayOf(field(contributes, k)).length > 0);
  if (m.main !== undefined && field(m, 'server') !== undefined) {
    findings.error('MANIFEST_MAIN_AND_SERVER', 'and "server" are both given: a plugin is either a module (main) or a server (server)', {
      where: 'main',
      hint: 'keep "main" for a plugin written against pm\'s SDK, or "server" for a program that speaks MCP over stdio',
    });
  }
  // A server plugin's tools come from its process; contributes.tools is then only the pin.
  if (needsCode.length && m.main === undefined && field(m, 'server') === undefined) {
    findings.error('MANIFEST_MAIN_REQUIRED', `is required: the plugin contributes ${needsCode.join(', ')}, which its entry module implements`, {
      where: 'main',
      hint: 'add "main": "index.js" (or the path of your built entry)',
    });
  }
}
