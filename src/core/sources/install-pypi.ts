import type { PluginSource } from '../manifest/types.js';
import { fetchPypiPackage, type FetchedPypiPackage, type PypiFetchOptions } from './pypi-fetch.js';
import { pickScript, pythonServerSpec, semverOfPep440 } from './pypi-script.js';
import { installServerFolder, withStagingFolder, type ServerInstallResult, type ServerPluginDraft, type StageServerOptions } from './stage-server.js';

export interface PypiServerOptions extends StageServerOptions, PypiFetchOptions {
  /** --bin NAME: the package's console script that runs the server, when it has several. */
  bin?: string;
  /** Changes the draft before it is staged (plugin-update keeps the installed plugin's flags this way). */
  adjust?: (draft: ServerPluginDraft, pkg: FetchedPypiPackage) => ServerPluginDraft;
}

/** What a PyPI server install did, with the distribution pip resolved. */
export interface PypiServerResult extends ServerInstallResult {
  pypi: { package: string; version: string; sha256?: string; script: string; packages: number; built: string[] };
}

/**
 * `pm plugin-install pypi:<package>[==<version>]`: a venv inside a staging folder, pip
 * installing wheels only (unless allowSdist) with the user's pip configuration, the console
 * script as the server, then the store's folder install; records the resolved version and
 * the sha256 of every distribution in `source`.
 */
export async function installPypiServer(pkg: string, version: string | undefined, opts: PypiServerOptions): Promise<PypiServerResult> {
  return withStagingFolder(async (dir) => {
    const got = await fetchPypiPackage(pkg, version, dir, opts);
    const script = pickScript(got.name, got.scripts, opts.bin);
    const source: PluginSource = {
      type: 'pypi', spec: `pypi:${pkg}${version !== undefined ? `==${version}` : ''}`, package: got.name, resolved: got.version,
      ...(got.sha256 ? { sha256: got.sha256, integrity: `sha256-${Buffer.from(got.sha256, 'hex').toString('base64')}` } : {}),
      ...(got.url ? { url: got.url } : {}), script: script.name,
      ...(opts.allowSdist ? { allowSdist: true } : {}),
      packages: got.packages.map((p) => ({ name: p.name, version: p.version, ...(p.sha256 ? { sha256: p.sha256 } : {}), ...(p.built ? { built: true } : {}) })),
    };
    let draft: ServerPluginDraft = {
      server: pythonServerSpec(got.name, script),
      source,
      facts: { packageName: got.name, version: semverOfPep440(got.version), description: got.summary, license: got.license, author: got.author },
    };
    if (opts.adjust) draft = opts.adjust(draft, got);
    const r = await installServerFolder(dir, draft, { ...opts, refuseTaken: opts.refuseTaken ?? (!opts.force && !opts.update) });
    return {
      ...r,
      pypi: { package: got.name, version: got.version, ...(got.sha256 ? { sha256: got.sha256 } : {}), script: script.name, packages: got.packages.length, built: got.packages.filter((p) => p.built).map((p) => p.name) },
    };
  });
}
