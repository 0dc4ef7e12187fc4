import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PmError } from '../errors.js';
import { readPluginManifest } from '../manifest/read.js';
import type { Manifest } from '../manifest/types.js';
import { environmentVariables, packageArguments, type Dropped } from './server-inputs.js';
import { SERVER_JSON_DESCRIPTION_MAX, SERVER_JSON_SCHEMA_URL, type ServerJson, type ServerJsonPackage } from './server-json.js';
import { githubOf, serverJsonName } from './server-name.js';

export interface ExportServerJsonOptions {
  /** --name: the registry name (reverse-DNS); default io.github.<owner>/<plugin> from the manifest's GitHub URL. */
  name?: string;
  /** --package-url: where the plugin's .mcpb is published (makes the package registryType mcpb). */
  packageUrl?: string;
  /** --file-sha256: the sha256 of that .mcpb, lower-case hex. */
  fileSha256?: string;
  /** --out: write the document here (else it is only returned). */
  out?: string;
}

export interface ExportServerJsonResult {
  serverJson: ServerJson;
  /** Fields of plugin.json that server.json cannot carry. */
  dropped: Dropped[];
  /** The file written, with --out. */
  file?: string;
}

const SHA256 = /^[a-f0-9]{64}$/;
/** Launcher arguments pm wrote for npm: (`${pluginDir}/node_modules/<pkg>/<bin>`) and pypi: (`-c <code>`) installs. */
const NPM_LAUNCHER = /^\$\{pluginDir\}\/node_modules\//;

/** The npm package name of an `npm:<spec>` source: `npm:@scope/x@^1` → `@scope/x`. */
function npmName(spec: string): string {
  const s = spec.replace(/^npm:/, '');
  const at = s.indexOf('@', s.startsWith('@') ? 1 : 0);
  return at < 0 ? s : s.slice(0, at);
}

/** The one package server.json lists for the plugin, from --package-url or the plugin's recorded `source`. */
function packageOf(m: Manifest, opts: ExportServerJsonOptions, dropped: Dropped[]): ServerJsonPackage {
  const src = m.source;
  const transport = { type: 'stdio' };
  if (opts.packageUrl !== undefined || opts.fileSha256 !== undefined) {
    if (!opts.packageUrl || !/^https?:\/\//.test(opts.packageUrl) || !opts.fileSha256 || !SHA256.test(opts.fileSha256)) {
      throw new PmError('EXPORT_PACKAGE_INVALID', 'an .mcpb package needs both --package-url <http(s) URL> and --file-sha256 <64 lower-case hex digits>', {
        hint: 'publish the .mcpb made by pm plugin-package --format mcpb, then give its URL and the sha256 of its bytes (sha256sum)',
        data: { packageUrl: opts.packageUrl, fileSha256: opts.fileSha256 },
      });
    }
    // The bundle carries its own command line and user_config: only the hash and where to get it.
    return { registryType: 'mcpb', identifier: opts.packageUrl, version: m.version, fileSha256: opts.fileSha256, transport };
  }
  const args = m.server?.args ?? [];
  if (m.server && src?.type === 'npm' && (typeof src.package === 'string' || typeof src.spec === 'string')) {
    const skip = m.server.command === 'node' && NPM_LAUNCHER.test(args[0] ?? '') ? 1 : 0;
    const packageArgs = packageArguments(m, skip, dropped);
    const env = environmentVariables(m, dropped);
    return {
      registryType: 'npm', identifier: typeof src.package === 'string' ? src.package : npmName(src.spec!), version: typeof src.resolved === 'string' ? src.resolved : m.version,
      runtimeHint: 'npx', transport, ...(packageArgs.length ? { packageArguments: packageArgs } : {}), ...(env.length ? { environmentVariables: env } : {}),
    };
  }
  if (m.server && src?.type === 'pypi' && (typeof src.package === 'string' || typeof src.spec === 'string')) {
    const skip = m.server.command.endsWith('/venv/bin/python') && args[0] === '-c' ? 2 : 0;
    const packageArgs = packageArguments(m, skip, dropped);
    const env = environmentVariables(m, dropped);
    const name = typeof src.package === 'string' ? src.package : src.spec!.replace(/^pypi:/, '').split('==')[0]!.trim();
    return {
      registryType: 'pypi', identifier: name, version: typeof src.resolved === 'string' ? src.resolved : m.version,
      runtimeHint: 'uvx', transport, ...(packageArgs.length ? { packageArguments: packageArgs } : {}), ...(env.length ? { environmentVariables: env } : {}),
    };
  }
  if (src?.type === 'mcpb' && typeof src.url === 'string' && typeof src.sha256 === 'string' && SHA256.test(src.sha256)) {
    return { registryType: 'mcpb', identifier: src.url, version: m.version, fileSha256: src.sha256, transport };
  }
  const what = m.server ? `${m.name} is a server plugin from ${src ? `a ${src.type} source` : 'a local folder'}` : `${m.name} is a module plugin`;
  throw new PmError('EXPORT_NO_PACKAGE', `${what}: server.json needs a package a registry client can fetch and run (npm, PyPI or .mcpb)`, {
    hint: 'publish it as an .mcpb (pm plugin-package --format mcpb) and give --package-url <url> --file-sha256 <hex>, or export a plugin installed from npm: or pypi:',
    data: { plugin: m.name, kind: m.server ? 'server' : 'module', source: src?.type ?? null },
  });
}

/** The description within the registry's 100 characters. */
function shortDescription(m: Manifest, dropped: Dropped[]): string {
  const d = m.description.trim() || m.name;
  if (d.length <= SERVER_JSON_DESCRIPTION_MAX) return d;
  dropped.push({ where: 'description', reason: `longer than the registry's ${SERVER_JSON_DESCRIPTION_MAX} characters; cut` });
  return `${d.slice(0, SERVER_JSON_DESCRIPTION_MAX - 1).trimEnd()}…`;
}

/** Builds the server.json document of a plugin manifest (no I/O). */
export function serverJsonOf(m: Manifest, opts: ExportServerJsonOptions = {}): { serverJson: ServerJson; dropped: Dropped[] } {
  const dropped: Dropped[] = [];
  const name = serverJsonName(m, opts.name);
  const pkg = packageOf(m, opts, dropped);
  const gh = githubOf(m);
  const homepage = (m as unknown as { homepage?: unknown }).homepage;
  if (m.server?.cwd) dropped.push({ where: 'server.cwd', reason: 'server.json has no working folder' });
  if (m.permissions) dropped.push({ where: 'permissions', reason: "server.json has no sandbox; pm's permissions are not carried over" });
  if (m.contributes?.tools?.length) dropped.push({ where: 'contributes.tools', reason: 'server.json does not list tools; clients ask the server' });
  const serverJson: ServerJson = {
    $schema: SERVER_JSON_SCHEMA_URL,
    name,
    description: shortDescription(m, dropped),
    version: m.version,
    ...(gh?.url ? { repository: { url: gh.url, source: 'github' } } : {}),
    ...(typeof homepage === 'string' && /^https?:\/\//.test(homepage) ? { websiteUrl: homepage } : {}),
    packages: [pkg],
    _meta: { 'io.modelcontextprotocol.registry/publisher-provided': { tool: 'pm', plugin: m.name } },
  };
  return { serverJson, dropped };
}

/** `pm plugin-export <dir> --format server-json`: the plugin folder's server.json, written to `out` when given. */
export async function exportServerJson(dir: string, opts: ExportServerJsonOptions = {}): Promise<ExportServerJsonResult> {
  const { manifest } = await readPluginManifest(dir, { check: 'full' });
  const { serverJson, dropped } = serverJsonOf(manifest, opts);
  if (!opts.out) return { serverJson, dropped };
  const file = resolve(opts.out);
  await writeFile(file, `${JSON.stringify(serverJson, null, 2)}\n`);
  return { serverJson, dropped, file };
}
