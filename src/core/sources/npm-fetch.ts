import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { PmError } from '../errors.js';
import { normalizeBins } from './npm-bin.js';

export interface NpmFetchOptions {
  /** The npm program to run (default: `npm` on PATH, so the user's .npmrc registries and auth apply). */
  npm?: string;
  /** Extra environment for npm (e.g. `npm_config_cache`, `npm_config_offline`). */
  npmEnv?: Record<string, string>;
}

/** The package npm installed, as its lockfile and package.json describe it. */
export interface FetchedNpmPackage {
  name: string;
  version: string;
  /** `sha512-…` of the package tarball, from the lockfile. */
  integrity?: string;
  /** The registry URL npm got it from (absent for local files), from the lockfile. */
  url?: string;
  description?: string;
  license?: string;
  author?: string;
  bins: Record<string, string>;
  /** How many packages were installed, the package included. */
  packages: number;
}

interface PackageJson { name?: string; version?: string; description?: unknown; license?: unknown; author?: unknown; bin?: unknown; dependencies?: Record<string, string> }

/** A path-like spec made absolute, so npm (run inside the staging folder) finds what the user meant. */
export function absoluteNpmSpec(spec: string, cwd = process.cwd()): string {
  if (spec.startsWith('file:')) {
    const p = spec.slice('file:'.length);
    return p.startsWith('/') ? spec : `file:${resolve(cwd, p)}`;
  }
  if (spec === '~' || spec.startsWith('~/')) return resolve(homedir(), spec.slice(2));
  if (/^\.\.?(\/|$)/.test(spec)) return resolve(cwd, spec);
  if (/\.(tgz|tar\.gz|tar)$/.test(spec) && existsSync(resolve(cwd, spec))) return resolve(cwd, spec);
  return spec;
}

function text(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim()) return v.trim();
  if (typeof v === 'object' && v !== null && typeof (v as { name?: unknown }).name === 'string') return (v as { name: string }).name;
  return undefined;
}

/** The last lines npm printed that say what went wrong (its "npm error" lines, else the tail). */
function npmReason(output: string): string {
  const lines = output.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const errors = lines.filter((l) => /^npm (error|ERR!)/.test(l)).map((l) => l.replace(/^npm (error|ERR!)\s*/, '')).filter((l) => l && !/^(A complete log of this run|code |syscall |path |errno |\/.*\.log$)/.test(l));
  return (errors.length ? errors : lines).slice(0, 4).join('; ') || 'npm gave no reason';
}

/**
 * Installs an npm spec and its production dependencies into `prefix` with the user's npm,
 * install scripts off (--ignore-scripts), links copied (--install-links) and no .bin links;
 * returns what was installed. Nothing outside `prefix` (and npm's own cache) is written.
 */
export async function fetchNpmPackage(spec: string, prefix: string, opts: NpmFetchOptions = {}): Promise<FetchedNpmPackage> {
  await writeFile(join(prefix, 'package.json'), `${JSON.stringify({ name: 'pm-server-plugin', private: true }, null, 2)}\n`);
  const { execa } = await import('execa');
  const npm = opts.npm ?? 'npm';
  const args = ['install', absoluteNpmSpec(spec), '--prefix', prefix, '--global=false', '--save=true', '--ignore-scripts', '--omit=dev',
    '--install-links', '--no-bin-links', '--prefer-online', '--no-audit', '--no-fund', '--update-notifier=false', '--loglevel=error'];
  const r = await execa(npm, args, { cwd: prefix, reject: false, all: true, stdin: 'ignore', env: { ...opts.npmEnv } });
  if (r.failed && (r.code === 'ENOENT' || (r.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT')) {
    throw new PmError('NPM_UNAVAILABLE', `cannot run ${npm}: it is not on PATH`, { hint: 'install Node.js with npm, then retry', data: { npm } });
  }
  if (r.exitCode !== 0) {
    throw new PmError('NPM_INSTALL_FAILED', `npm could not install ${spec}: ${npmReason(String(r.all ?? ''))}`, {
      hint: 'check the package name and range, your network and your .npmrc registry settings, then retry', data: { spec, exitCode: r.exitCode },
    });
  }
  const root = JSON.parse(await readFile(join(prefix, 'package.json'), 'utf8')) as PackageJson;
  const names = Object.keys(root.dependencies ?? {});
  if (names.length !== 1) {
    throw new PmError('NPM_INSTALL_FAILED', `npm installed ${names.length} packages for ${spec}; pm expected exactly one`, { hint: 'give one package: npm:<package>[@<range>]', data: { spec, names } });
  }
  const name = names[0]!;
  const lock = JSON.parse(await readFile(join(prefix, 'node_modules', '.package-lock.json'), 'utf8')) as { packages?: Record<string, { integrity?: string; resolved?: string }> };
  const entry = lock.packages?.[`node_modules/${name}`] ?? {};
  const pkg = JSON.parse(await readFile(join(prefix, 'node_modules', name, 'package.json'), 'utf8')) as PackageJson;
  const description = text(pkg.description);
  const license = text(pkg.license);
  const author = text(pkg.author);
  return {
    name, version: String(pkg.version),
    ...(entry.integrity ? { integrity: entry.integrity } : {}),
    ...(entry.resolved && /^https?:/.test(entry.resolved) ? { url: entry.resolved } : {}),
    ...(description ? { description } : {}), ...(license ? { license } : {}), ...(author ? { author } : {}),
    bins: normalizeBins(name, pkg.bin),
    packages: Object.keys(lock.packages ?? {}).filter((k) => k.startsWith('node_modules/')).length,
  };
}
