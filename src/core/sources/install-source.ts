import { installNpmServer, type NpmServerOptions, type NpmServerResult } from './install-npm.js';
import { installPypiServer, type PypiServerOptions, type PypiServerResult } from './install-pypi.js';
import type { InstallSource } from './parse-source.js';

/** Options of every server source (npm:, pypi:); each reads the ones that apply to it. */
export type ServerSourceOptions = Omit<NpmServerOptions, 'adjust'> & Omit<PypiServerOptions, 'adjust'>;

/** Installs a parsed `npm:` or `pypi:` source as a server plugin (folders, .tgz and URLs go to core/store/install). */
export async function installServerSource(source: Exclude<InstallSource, { type: 'path' }>, opts: ServerSourceOptions): Promise<NpmServerResult | PypiServerResult> {
  switch (source.type) {
    case 'npm':
      return installNpmServer(source.spec, opts);
    case 'pypi':
      return installPypiServer(source.package, source.version, opts);
  }
}
