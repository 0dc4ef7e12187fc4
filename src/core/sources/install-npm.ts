import { posix } from 'node:path';
import { PmError } from '../errors.js';
import type { PluginSource, ServerSpec } from '../manifest/types.js';
import { pickBin } from './npm-bin.js';
import { absoluteNpmSpec, fetchNpmPackage, type FetchedNpmPackage, type NpmFetchOptions } from './npm-fetch.js';
import { findInstallScripts } from './npm-scripts.js';
import { installServerFolder, withStagingFolder, type ServerInstallResult, type ServerPluginDraft, type StageServerOptions } from './stage-server.js';

export interface NpmServerOptions extends StageServerOptions, NpmFetchOptions {
  /** --bin NAME: the package's bin that runs the server, when it has several. */
  bin?: string;
  /** Changes the draft before it is staged (plugin-update keeps the installed plugin's flags this way). */
  adjust?: (draft: ServerPluginDraft, pkg: FetchedNpmPackage) => ServerPluginDraft;
}

/** What an npm server install did, with the package npm resolved. */
export interface NpmServerResult extends ServerInstallResult {
  npm: { package: string; version: string; bin: string; packages: number };
}

/** Refuses a fetched tree in which any package needs an install script (scripts were off, so it would not work). */
async function refuseInstallScripts(prefix: string, spec: string): Promise<void> {
  const found = await findInstallScripts(prefix);
  if (!found.length) return;
  const first = found[0]!;
  const who = `${first.package}${first.version ? `@${first.version}` : ''}`;
  const more = found.length > 1 ? ` (and ${found.slice(1).map((f) => f.package).join(', ')})` : '';
  throw new PmError('NPM_INSTALL_SCRIPT', `refused npm:${spec}: ${who} needs an install script (${first.reason})${more}, and pm installs with scripts off`, {
    hint: 'use a version or package that needs no install script, or build a plugin folder yourself (pm plugin-install <dir>)',
    data: { spec, packages: found },
  });
}

/** The server spec that runs the bin: `node ${pluginDir}/node_modules/<pkg>/<bin>` (node found on PATH at launch). */
export function npmServerSpec(pkg: string, binPath: string): ServerSpec {
  const rel = posix.normalize(posix.join('node_modules', pkg, binPath));
  if (!rel.startsWith(`node_modules/${pkg}/`)) {
    throw new PmError('NPM_NO_BIN', `${pkg}'s bin "${binPath}" points outside the package`, { hint: 'this package is malformed; do not install it', data: { package: pkg, bin: binPath } });
  }
  return { command: 'node', args: [`\${pluginDir}/${rel}`] };
}

/**
 * `pm plugin-install npm:<spec>`: fetches the package and its production dependencies with
 * the user's npm (scripts off) into a staging folder, refuses install scripts, picks the bin,
 * and installs the folder as a server plugin recording the resolved version and integrity.
 */
export async function installNpmServer(spec: string, opts: NpmServerOptions): Promise<NpmServerResult> {
  // A relative path is recorded absolute, so plugin-update finds it from any folder.
  spec = absoluteNpmSpec(spec);
  return withStagingFolder(async (dir) => {
    const pkg = await fetchNpmPackage(spec, dir, opts);
    await refuseInstallScripts(dir, spec);
    const bin = pickBin(pkg.name, pkg.bins, opts.bin);
    const source: PluginSource = {
      type: 'npm', spec: `npm:${spec}`, package: pkg.name, resolved: pkg.version,
      ...(pkg.integrity ? { integrity: pkg.integrity } : {}), ...(pkg.url ? { url: pkg.url } : {}), bin: bin.name,
    };
    let draft: ServerPluginDraft = {
      server: npmServerSpec(pkg.name, bin.path),
      source,
      facts: { packageName: pkg.name, version: pkg.version, description: pkg.description, license: pkg.license, author: pkg.author },
    };
    if (opts.adjust) draft = opts.adjust(draft, pkg);
    const r = await installServerFolder(dir, draft, { ...opts, refuseTaken: opts.refuseTaken ?? (!opts.force && !opts.update) });
    return { ...r, npm: { package: pkg.name, version: pkg.version, bin: bin.name, packages: pkg.packages } };
  });
}
