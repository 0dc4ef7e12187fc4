/**
 * `pm plugin-install registry:<name>[@<version>]`: reads a server.json from an MCP Registry (or a
 * file) and installs its npm, PyPI or .mcpb package through pm's own server sources.
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PmError } from '../errors.js';
import { fetchBytes } from '../net/fetch-bytes.js';
import { installMcpbBundle, type McpbInstallOptions, type McpbInstallResult } from '../sources/install-mcpb.js';
import { installNpmServer, type NpmServerResult } from '../sources/install-npm.js';
import { installPypiServer, type PypiServerResult } from '../sources/install-pypi.js';
import type { ServerSourceOptions } from '../sources/install-source.js';
import { withStagingFolder, type ServerPluginDraft } from '../sources/stage-server.js';
import { readServerJson, type ServerJsonRef } from './read-server-json.js';
import { registryLaunch } from './registry-launch.js';
import type { ServerJson, ServerJsonPackage } from './server-json.js';

export type RegistryInstallOptions = ServerSourceOptions & Omit<McpbInstallOptions, keyof ServerSourceOptions>;

/** What a registry install did: the source's own result plus the server.json it followed. */
export type RegistryInstallResult = (NpmServerResult | PypiServerResult | McpbInstallResult) & {
  registry: { name: string; version: string; from: string; registryType: string; identifier: string; notes: string[] };
};

const SUPPORTED = ['npm', 'pypi', 'mcpb'];
const MAX_BUNDLE_BYTES = 200 * 1024 * 1024;

/** The package pm installs: the first npm, PyPI or .mcpb one run over stdio. */
export function pickPackage(s: ServerJson): ServerJsonPackage {
  const pkg = (s.packages ?? []).find((p) => SUPPORTED.includes(p.registryType) && (p.transport?.type ?? 'stdio') === 'stdio');
  if (!pkg) {
    const has = (s.packages ?? []).map((p) => `${p.registryType} (${p.transport?.type ?? '?'})`);
    throw new PmError('REGISTRY_NO_PACKAGE', `${s.name}@${s.version} has no npm, PyPI or .mcpb package that runs over stdio${has.length ? ` (it has: ${has.join(', ')})` : s.remotes?.length ? ' (only remote servers)' : ''}`, {
      hint: 'pm installs local servers; for another kind, install the program yourself and register it with pm mcp-add', data: { name: s.name, packages: has },
    });
  }
  return pkg;
}

/** Refuses a download whose sha256 is not the one server.json gives (exit 4). */
function checkSha256(bytes: Uint8Array, want: string, what: string): void {
  const got = createHash('sha256').update(bytes).digest('hex');
  if (got !== want.toLowerCase()) {
    throw new PmError('REGISTRY_SHA256_MISMATCH', `${what}: sha256 ${got} is not the ${want} the server.json gives`, {
      hint: 'the file is not the one that was published; do not install it', data: { got, want },
    });
  }
}

/** Reads the server.json and installs its package; the user's --env/--arg come after the registry's. */
export async function installRegistryServer(ref: ServerJsonRef, opts: RegistryInstallOptions): Promise<RegistryInstallResult> {
  const { serverJson: s, from } = await readServerJson(ref);
  const pkg = pickPackage(s);
  const launch = registryLaunch(pkg.environmentVariables, pkg.packageArguments);
  const notes = [...launch.notes];
  const info = { name: s.name, version: s.version, from, registryType: pkg.registryType, identifier: pkg.identifier, notes };
  const recorded = { registry: { name: s.name, version: s.version, from } };
  const adjust = (draft: ServerPluginDraft): ServerPluginDraft => ({
    ...draft,
    server: { ...draft.server, args: [...(draft.server.args ?? []), ...launch.args], ...(Object.keys(launch.env).length ? { env: { ...(draft.server.env ?? {}), ...launch.env } } : {}) },
    source: { ...draft.source, ...recorded },
    facts: { ...draft.facts, description: draft.facts.description || s.description },
  });
  switch (pkg.registryType) {
    case 'npm': {
      if (pkg.fileSha256) notes.push('fileSha256 is not checked for npm packages; npm checks the registry\'s integrity instead');
      const spec = pkg.version ? `${pkg.identifier}@${pkg.version}` : pkg.identifier;
      const r = await installNpmServer(spec, { ...opts, adjust: (d) => adjust(d) });
      return { ...r, registry: info };
    }
    case 'pypi': {
      const r = await installPypiServer(pkg.identifier, pkg.version, {
        ...opts,
        adjust: (d, got) => {
          if (pkg.fileSha256 && got.sha256) checkSha256Hex(got.sha256, pkg.fileSha256, `${pkg.identifier}==${got.version}`);
          return adjust(d);
        },
      });
      return { ...r, registry: info };
    }
    default: {
      if (!pkg.fileSha256) {
        throw new PmError('REGISTRY_SHA256_MISMATCH', `${s.name}'s .mcpb package gives no fileSha256, so pm cannot check what it downloads`, { hint: 'the registry requires fileSha256 for .mcpb packages; ask the publisher to add it', data: { name: s.name } });
      }
      const got = await fetchBytes(pkg.identifier, { maxBytes: MAX_BUNDLE_BYTES });
      if (got.status !== 'ok') throw new PmError('DOWNLOAD_FAILED', `${pkg.identifier} could not be downloaded`, { data: { url: pkg.identifier } });
      checkSha256(got.body, pkg.fileSha256, pkg.identifier);
      const r = await withStagingFolder(async (dir) => {
        const file = join(dir, `${s.name.split('/').pop()}.mcpb`);
        await writeFile(file, got.body);
        return installMcpbBundle(file, opts);
      });
      return { ...r, registry: info };
    }
  }
}

/** The same check for a hash pip already computed (hex). */
function checkSha256Hex(got: string, want: string, what: string): void {
  if (got.toLowerCase() !== want.toLowerCase()) {
    throw new PmError('REGISTRY_SHA256_MISMATCH', `${what}: sha256 ${got} is not the ${want} the server.json gives`, {
      hint: 'the file is not the one that was published; do not install it', data: { got, want },
    });
  }
}
