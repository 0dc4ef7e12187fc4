/**
 * An MCP Bundle's manifest.json (versions 0.1–0.4), validated with the official
 * `@anthropic-ai/mcpb` schemas, and mapped onto a server plugin (docs/formats.md has the table).
 */
import { homedir } from 'node:os';
import { join, sep } from 'node:path';
import { PmError } from '../errors.js';
import type { JsonSchemaObject, ServerSpec } from '../manifest/types.js';

/** The fields of a bundle manifest pm reads (every published version has them in this shape). */
export interface McpbManifest {
  manifest_version?: string;
  dxt_version?: string;
  name: string;
  display_name?: string;
  version: string;
  description: string;
  author: { name: string; email?: string; url?: string };
  license?: string;
  server: {
    type: 'node' | 'python' | 'binary' | 'uv';
    entry_point: string;
    mcp_config: { command: string; args?: string[]; env?: Record<string, string>; platform_overrides?: Record<string, { command?: string; args?: string[]; env?: Record<string, string> }> };
  };
  tools?: { name: string; description?: string }[];
  prompts?: { name: string; description?: string }[];
  user_config?: Record<string, McpbUserConfigOption>;
}

/** One `user_config` entry. */
export interface McpbUserConfigOption {
  type: 'string' | 'number' | 'boolean' | 'directory' | 'file';
  title: string;
  description: string;
  required?: boolean;
  default?: string | number | boolean | string[];
  multiple?: boolean;
  sensitive?: boolean;
  min?: number;
  max?: number;
}

/** Validates a parsed manifest.json against the official schema of the version it declares; throws MCPB_MANIFEST_INVALID (exit 3). */
export async function validateMcpbManifest(raw: unknown, file: string): Promise<McpbManifest> {
  const { VERSIONED_MANIFEST_SCHEMAS } = await import('@anthropic-ai/mcpb/schemas');
  const obj = (raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as Record<string, unknown>;
  const version = String(obj.manifest_version ?? obj.dxt_version ?? '');
  const schema = (VERSIONED_MANIFEST_SCHEMAS as Record<string, { safeParse(v: unknown): { success: boolean; error?: { issues: { path: (string | number)[]; message: string }[] } } }>)[version];
  if (!schema) {
    throw new PmError('MCPB_MANIFEST_INVALID', `${file}: manifest.json declares manifest_version "${version}", not one of ${Object.keys(VERSIONED_MANIFEST_SCHEMAS).join(', ')}`, {
      hint: 'pm reads bundle manifests 0.1 to 0.4; ask the author for a bundle made with a current mcpb', data: { file, version },
    });
  }
  const r = schema.safeParse(raw);
  if (!r.success) {
    const errors = (r.error?.issues ?? []).map((i) => `${i.path.join('.') || 'manifest'}: ${i.message}`);
    throw new PmError('MCPB_MANIFEST_INVALID', `${file}: manifest.json is not a valid ${version} bundle manifest: ${errors.slice(0, 5).join('; ')}`, {
      hint: "the bundle's author can check it with 'mcpb validate manifest.json'", data: { file, version, errors },
    });
  }
  return raw as McpbManifest;
}

/** The secret a sensitive `user_config` entry is stored as: `<PLUGIN>_<KEY>`, upper-case (secrets are shared by all plugins). */
export function mcpbSecretName(plugin: string, key: string): string {
  return `${plugin}_${key}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}

/** Claude Desktop's path variables, fixed at install time since pm substitutes only its own four. */
function pathVariable(name: string): string | undefined {
  switch (name) {
    case 'HOME': return homedir();
    case 'DESKTOP': return join(homedir(), 'Desktop');
    case 'DOCUMENTS': return join(homedir(), 'Documents');
    case 'DOWNLOADS': return join(homedir(), 'Downloads');
    case '/': case 'pathSeparator': return sep;
    default: return undefined;
  }
}

/** Rewrites one string's bundle substitutions into pm's; throws MCPB_SUBSTITUTION_UNKNOWN for any other `${…}`. */
function mapText(text: string, where: string, plugin: string, m: McpbManifest): string {
  return text.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
    if (name === '__dirname') return '${pluginDir}';
    if (name.startsWith('user_config.')) {
      const key = name.slice('user_config.'.length);
      const opt = m.user_config?.[key];
      if (!opt) {
        throw new PmError('MCPB_SUBSTITUTION_UNKNOWN', `${where} uses ${whole}, but user_config declares no "${key}"`, { hint: 'ask the bundle author to fix manifest.json', data: { field: where, placeholder: whole } });
      }
      return opt.sensitive ? `\${secret.${mcpbSecretName(plugin, key)}}` : `\${config.${key}}`;
    }
    const path = pathVariable(name);
    if (path !== undefined) return path;
    throw new PmError('MCPB_SUBSTITUTION_UNKNOWN', `${where} uses ${whole}, which pm cannot map`, {
      hint: 'pm maps ${__dirname}, ${user_config.X}, ${HOME}, ${DESKTOP}, ${DOCUMENTS}, ${DOWNLOADS} and ${/}', data: { field: where, placeholder: whole },
    });
  });
}

/** The bundle's mcp_config for this platform as pm's `server`, substitutions mapped. */
export function mcpbServerSpec(m: McpbManifest, plugin: string, platform: NodeJS.Platform = process.platform): ServerSpec {
  const base = m.server.mcp_config;
  const o = base.platform_overrides?.[platform] ?? {};
  const command = o.command ?? base.command;
  const args = o.args ?? base.args ?? [];
  const env = { ...(base.env ?? {}), ...(o.env ?? {}) };
  return {
    command: mapText(command, 'server.mcp_config.command', plugin, m),
    ...(args.length ? { args: args.map((a, i) => mapText(a, `server.mcp_config.args[${i}]`, plugin, m)) } : {}),
    ...(Object.keys(env).length ? { env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, mapText(v, `server.mcp_config.env.${k}`, plugin, m)])) } : {}),
  };
}

/** The plugin's config schema from the non-sensitive `user_config` entries (null when there are none). */
export function mcpbConfigSchema(m: McpbManifest): JsonSchemaObject | null {
  const properties: Record<string, Record<string, unknown>> = {};
  const required: string[] = [];
  for (const [key, o] of Object.entries(m.user_config ?? {})) {
    if (o.sensitive) continue;
    const scalar: Record<string, unknown> = o.type === 'number' ? { type: 'number', ...(o.min !== undefined ? { minimum: o.min } : {}), ...(o.max !== undefined ? { maximum: o.max } : {}) }
      : o.type === 'boolean' ? { type: 'boolean' } : { type: 'string' };
    properties[key] = {
      title: o.title, description: o.description,
      ...(o.multiple ? { type: 'array', items: scalar } : scalar),
      ...(o.default !== undefined ? { default: o.default } : {}),
    };
    if (o.required && o.default === undefined) required.push(key);
  }
  if (!Object.keys(properties).length) return null;
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false };
}
