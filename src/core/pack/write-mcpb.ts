/**
 * `pm plugin-package --format mcpb`: a server plugin folder written as an MCP Bundle (DESIGN §6b)
 * whose manifest.json (0.3) `mcpb validate` accepts. Deterministic like pm's tarballs: files
 * sorted, one fixed timestamp, fixed modes, so the same folder always gives the same sha256.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { PmError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { readPluginManifest } from '../manifest/read.js';
import type { Manifest } from '../manifest/types.js';
import { scanPackageFiles, sortEntries, unsupportedFile } from './package-files.js';

/** What plugin-package --format mcpb wrote. */
export interface McpbWritten {
  file: string;
  name: string;
  version: string;
  files: number;
  size: number;
  sha256: string;
}

// ZIP timestamps are local and start in 1980; a local-time constructor gives the same bytes in every time zone.
const FIXED_TIME = new Date(1980, 0, 2);

function refuse(message: string, hint: string): PmError {
  return new PmError('MCPB_EXPORT_UNSUPPORTED', message, { hint });
}

/** pm's substitutions as the bundle's: pluginDir → __dirname, config.X → user_config.X, secret.N → user_config.n (sensitive). */
function mapText(text: string, secrets: Set<string>): string {
  return text.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
    if (name === 'pluginDir') return '${__dirname}';
    if (name.startsWith('config.')) return `\${user_config.${name.slice('config.'.length)}}`;
    if (name.startsWith('secret.')) {
      const secret = name.slice('secret.'.length);
      secrets.add(secret);
      return `\${user_config.${secret.toLowerCase()}}`;
    }
    throw refuse(`server uses ${whole}, which an MCP Bundle has no equivalent for`, 'an .mcpb can use ${pluginDir}, ${config.KEY} and ${secret.NAME}; ${dataDir} has no bundle equivalent');
  });
}

/** The bundle manifest.json of a server plugin. */
export function mcpbManifestOf(m: Manifest): Record<string, unknown> {
  if (!m.server) throw refuse(`${m.name} is not a server plugin`, 'only server plugins (plugin.json "server") can be written as .mcpb; a module plugin is served by pm');
  const secrets = new Set<string>();
  const command = mapText(m.server.command, secrets);
  const args = (m.server.args ?? []).map((a) => mapText(a, secrets));
  const env = Object.fromEntries(Object.entries(m.server.env ?? {}).map(([k, v]) => [k, mapText(v, secrets)]));
  const base = (c: string) => c.split('/').pop() ?? c;
  const type = /^node(js)?$/.test(base(command)) ? 'node' : /^python(3(\.\d+)?)?$/.test(base(command)) ? 'python' : 'binary';
  const entry = (type === 'binary' ? command : args.find((a) => a.startsWith('${__dirname}/')) ?? command).replace(/^\$\{__dirname\}\//, '');
  const userConfig: Record<string, Record<string, unknown>> = {};
  const props = (m.config?.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = new Set((m.config?.required as string[] | undefined) ?? []);
  for (const [key, p] of Object.entries(props)) {
    const t = p.type === 'number' || p.type === 'integer' ? 'number' : p.type === 'boolean' ? 'boolean' : 'string';
    userConfig[key] = {
      type: t, title: String(p.title ?? key), description: String(p.description ?? key),
      ...(required.has(key) ? { required: true } : {}),
      ...(p.default !== undefined && ['string', 'number', 'boolean'].includes(typeof p.default) ? { default: p.default } : {}),
      ...(typeof p.minimum === 'number' ? { min: p.minimum } : {}), ...(typeof p.maximum === 'number' ? { max: p.maximum } : {}),
    };
  }
  for (const s of [...secrets].sort()) userConfig[s.toLowerCase()] = { type: 'string', title: s, description: `the secret ${s}`, sensitive: true, required: true };
  const tools = (m.contributes?.tools ?? []).map((t) => ({ name: t.name, description: t.description }));
  return {
    manifest_version: '0.3',
    name: m.name,
    version: m.version,
    description: m.description,
    author: { name: m.author?.replace(/\s*<[^>]*>\s*$/, '') || 'unknown' },
    ...(m.license ? { license: m.license } : {}),
    server: { type, entry_point: entry, mcp_config: { command, ...(args.length ? { args } : {}), ...(Object.keys(env).length ? { env } : {}) } },
    ...(tools.length ? { tools } : {}),
    ...(Object.keys(userConfig).length ? { user_config: userConfig } : {}),
  };
}

/** Writes `<name>-<version>.mcpb` of the server plugin in `dir` into `outDir`. */
export async function writeMcpb(dir: string, opts: { outDir?: string } = {}): Promise<McpbWritten> {
  const root = resolve(dir);
  const { manifest: m } = await readPluginManifest(root);
  const bundle = mcpbManifestOf(m);
  const { entries, unsupported } = await scanPackageFiles(root, { alsoNever: ['/*.mcpb', '/manifest.json'] });
  if (unsupported.length) throw unsupportedFile(unsupported[0]!);
  const files: Zippable = {};
  const add = (path: string, data: Uint8Array, executable: boolean) => {
    files[path] = [data, { mtime: FIXED_TIME, os: 3, attrs: ((executable ? 0o100755 : 0o100644) << 16) >>> 0, level: 9 }];
  };
  add('manifest.json', Buffer.from(`${JSON.stringify(bundle, null, 2)}\n`), false);
  let count = 1;
  for (const e of sortEntries(entries)) {
    if (e.type !== 'file') continue;
    add(e.path, await readFile(join(root, e.path)), (e.stat.mode & 0o111) !== 0);
    count += 1;
  }
  const zip = zipSync(files);
  const file = join(resolve(opts.outDir ?? process.cwd()), `${m.name}-${m.version}.mcpb`);
  await writeFileAtomic(file, zip);
  return { file, name: m.name, version: m.version, files: count, size: zip.length, sha256: createHash('sha256').update(zip).digest('hex') };
}
