import { PmError } from '../errors.js';
import { installNpmServer, type NpmServerOptions, type NpmServerResult } from './install-npm.js';
import type { InstallSource } from './parse-source.js';
import type { ServerInstallResult } from './stage-server.js';

/** Options of every server source (npm:, pypi:); each reads the ones that apply to it. */
export type ServerSourceOptions = NpmServerOptions;

/** Installs a parsed `npm:` or `pypi:` source as a server plugin (folders, .tgz and URLs go to core/store/install). */
export async function installServerSource(source: Exclude<InstallSource, { type: 'path' }>, opts: ServerSourceOptions): Promise<NpmServerResult | ServerInstallResult> {
  switch (source.type) {
    case 'npm':
      return installNpmServer(source.spec, opts);
    case 'pypi':
      throw new PmError('SOURCE_NOT_SUPPORTED', `pypi:${source.spec}: installing from PyPI is not available in this build of pm`, {
        hint: 'install a plugin folder with the server inside it instead (pm plugin-install <dir>)', data: { source: `pypi:${source.spec}` },
      });
  }
}
