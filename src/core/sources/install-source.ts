import { PmError } from '../errors.js';
import type { RegistryInstallOptions, RegistryInstallResult } from '../mcp-registry/install-registry.js';
import { installNpmServer, type NpmServerOptions, type NpmServerResult } from './install-npm.js';
import { installPypiServer, type PypiServerOptions, type PypiServerResult } from './install-pypi.js';
import type { InstallSource } from './parse-source.js';

/** Options of every server source (npm:, pypi:, registry:); each reads the ones that apply to it. */
export type ServerSourceOptions = Omit<NpmServerOptions, 'adjust'> & Omit<PypiServerOptions, 'adjust'> & {
  /** registry:<name>: the MCP Registry to read the server.json from. */
  registryUrl?: string;
};

/** Installs a parsed `npm:`, `pypi:` or `registry:` source as a server plugin (folders, .tgz and URLs go to core/store/install). */
export async function installServerSource(source: Exclude<InstallSource, { type: 'path' }>, opts: ServerSourceOptions & Partial<RegistryInstallOptions>): Promise<NpmServerResult | PypiServerResult | RegistryInstallResult> {
  switch (source.type) {
    case 'npm':
      return installNpmServer(source.spec, opts);
    case 'pypi':
      return installPypiServer(source.package, source.version, opts);
    case 'registry': {
      if (source.file === undefined && !opts.registryUrl) {
        throw new PmError('REGISTRY_URL_MISSING', `${source.spec} needs --registry-url <url> to say which MCP Registry to read it from`, { data: { source: source.spec } });
      }
      // Loaded only here: it brings the .mcpb install.
      const { installRegistryServer } = await import('../mcp-registry/install-registry.js');
      const ref = source.file !== undefined ? { file: source.file } : { name: source.name!, version: source.version, registryUrl: opts.registryUrl! };
      return installRegistryServer(ref, opts);
    }
  }
}
