import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** One installed package that would need an install script pm does not run. */
export interface InstallScriptFinding {
  /** The package name, e.g. `@scope/dep`. */
  package: string;
  version?: string;
  /** Where it sits, e.g. `node_modules/a/node_modules/dep`. */
  path: string;
  /** What it declares: `postinstall: node build.js`, or `binding.gyp (node-gyp rebuild)`. */
  reason: string;
}

const SCRIPTS = ['preinstall', 'install', 'postinstall'] as const;

interface LockEntry { name?: string; version?: string; hasInstallScript?: boolean; link?: boolean }

/** The name of the package at a lock path: the part after the last `node_modules/`. */
function nameOf(path: string): string {
  return path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

/**
 * Every package npm installed into `prefix` (from its hidden lockfile, node_modules/.package-lock.json)
 * that declares preinstall/install/postinstall or ships a binding.gyp (npm would run node-gyp):
 * such a package was installed with scripts off and would not work, so pm refuses it.
 */
export async function findInstallScripts(prefix: string): Promise<InstallScriptFinding[]> {
  const lock = JSON.parse(await readFile(join(prefix, 'node_modules', '.package-lock.json'), 'utf8')) as { packages?: Record<string, LockEntry> };
  const out: InstallScriptFinding[] = [];
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (!path.startsWith('node_modules/') || entry.link) continue;
    const dir = join(prefix, path);
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8').catch(() => '{}')) as { name?: string; version?: string; scripts?: Record<string, unknown> };
    const name = pkg.name ?? entry.name ?? nameOf(path);
    const version = pkg.version ?? entry.version;
    const found = SCRIPTS.filter((s) => typeof pkg.scripts?.[s] === 'string' && (pkg.scripts[s] as string).trim() !== '');
    const base = { package: name, ...(version ? { version } : {}), path };
    if (found.length) out.push({ ...base, reason: found.map((s) => `${s}: ${String(pkg.scripts![s])}`).join('; ') });
    else if (await stat(join(dir, 'binding.gyp')).then((s) => s.isFile(), () => false)) out.push({ ...base, reason: 'binding.gyp (npm would run node-gyp rebuild)' });
    else if (entry.hasInstallScript) out.push({ ...base, reason: 'npm records an install script for it' });
  }
  return out;
}
