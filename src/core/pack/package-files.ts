import { lstat, readdir } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import ignore from 'ignore';
import { PmError } from '../errors.js';
import { readRegularText } from '../fs/read-regular-file.js';

/** One entry of a package: a path relative to the plugin folder (POSIX separators) and its lstat. */
export interface PackEntry {
  path: string;
  type: 'file' | 'dir';
  stat: Stats;
}

/**
 * A Python library's certificate bundle (certifi's cacert.pem, which HTTPS clients need): a
 * .pem under a venv's site-packages ships; its content is still searched for private keys.
 */
function isLibraryCertificates(path: string): boolean {
  return path.endsWith('.pem') && path.split('/').includes('site-packages');
}

/**
 * Never packed, whatever `.pmignore` says (a `!` rule cannot bring them back): version
 * control, caches, secrets and key material, the plugin's own tests, and pm's own output.
 */
export const NEVER_PACKED = [
  '.git/', '.hg/', '.svn/',
  'node_modules/.cache/', 'node_modules/.bin/', '.npmrc', '.pmignore',
  '.env*',
  '*.pem', '*.key', '*.p12', '*.pfx', '*.jks', '*.keystore',
  'id_rsa*', 'id_dsa*', 'id_ecdsa*', 'id_ed25519*',
  'secring.*', '*.sec.asc', '*.secret.asc', '/keys/',
  '/test/', '/tests/',
  '/*.tgz', '/*.tgz.prov',
  '.DS_Store', '*.swp', 'npm-debug.log*',
];

/** Lists what `plugin-package` puts in the tarball: sorted, ignore rules applied, links refused. */
export async function listPackageFiles(dir: string): Promise<PackEntry[]> {
  const { entries, unsupported } = await scanPackageFiles(dir);
  if (unsupported.length) throw unsupportedFile(unsupported[0]);
  return entries;
}

/** A refusal for a link, device or FIFO that would be packed. */
export function unsupportedFile(u: { path: string; link: boolean }): PmError {
  const kind = u.link ? 'a symbolic link' : 'not a regular file or folder';
  return new PmError('PACK_UNSUPPORTED_FILE', `${u.path} is ${kind}; a package holds only regular files and folders`, {
    hint: `replace it with the file it points to, or add "${u.path}" to .pmignore`,
    data: { path: u.path },
  });
}

/** Like listPackageFiles (plus extra never-packed rules), but reports links and special files that would be packed instead of throwing. */
export async function scanPackageFiles(dir: string, opts: { alsoNever?: string[] } = {}): Promise<{ entries: PackEntry[]; unsupported: { path: string; link: boolean }[] }> {
  const never = ignore().add(NEVER_PACKED).add(opts.alsoNever ?? []);
  const user = ignore();
  try {
    // Read at the start of plugin-install of a folder, under the store lock: never wait on a FIFO.
    user.add(await readRegularText(join(dir, '.pmignore'), { what: '.pmignore', maxBytes: 1024 * 1024 }));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  type Walked = { entries: PackEntry[]; unsupported: { path: string; link: boolean }[] };

  // A folder's entries are stat'ed together and its subfolders walked together: thousands of
  // lstat calls overlap on the thread pool instead of waiting for each other. Results are
  // joined in name order, so what is found (and which link is reported first) stays the same.
  async function walk(rel: string): Promise<Walked> {
    const names = (await readdir(join(dir, rel))).sort();
    const parts = await Promise.all(names.map(async (name): Promise<Walked> => {
      const path = rel ? `${rel}/${name}` : name;
      const stat = await lstat(join(dir, path));
      if (stat.isDirectory()) {
        if (never.ignores(`${path}/`) || user.ignores(`${path}/`)) return { entries: [], unsupported: [] };
        const inner = await walk(path);
        // A folder is packed only when a file inside it is: no empty folders.
        return { entries: inner.entries.length ? [{ path, type: 'dir', stat }, ...inner.entries] : [], unsupported: inner.unsupported };
      }
      // plugin.json always ships: a package without its manifest is not a package.
      if ((never.ignores(path) && !isLibraryCertificates(path)) || (path !== 'plugin.json' && user.ignores(path))) return { entries: [], unsupported: [] };
      if (stat.isFile()) return { entries: [{ path, type: 'file', stat }], unsupported: [] };
      return { entries: [], unsupported: [{ path, link: stat.isSymbolicLink() }] };
    }));
    return { entries: parts.flatMap((p) => p.entries), unsupported: parts.flatMap((p) => p.unsupported) };
  }

  const { entries, unsupported } = await walk('');
  return { entries: sortEntries(entries), unsupported };
}

/**
 * Package order: plugin.json first (so readers find the manifest without decompressing the
 * whole package), then every other path in plain code-unit order, which is locale-independent.
 */
export function sortEntries(entries: PackEntry[]): PackEntry[] {
  const key = (e: PackEntry) => (e.path === 'plugin.json' ? '' : e.path);
  return [...entries].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
