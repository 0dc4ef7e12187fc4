import { join } from 'node:path';

/** Where the marketplace client keeps its files inside PM_HOME (DESIGN §4). */
export function marketPaths(home: string, registry?: string) {
  const cacheDir = join(home, 'cache', 'registries', registry ?? '');
  return {
    config: join(home, 'config.json'),
    /** Last trusted index version, expiry and HTTP validators, one file per registry. */
    state: join(home, 'registries', `${registry}.json`),
    cacheDir,
    cachedIndex: join(cacheDir, 'index.json'),
    cachedSignature: join(cacheDir, 'index.json.asc'),
    /** Downloaded packages, named by integrity so a second install does not download again. */
    packages: join(home, 'cache', 'packages'),
  };
}

/** Registry names are folder names: the same rule as plugin names, plus dots and underscores. */
export const REGISTRY_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
