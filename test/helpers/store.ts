import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, lstat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Header } from 'tar';
import { packPlugin } from '../../src/core/pack/pack-plugin.js';
import { inspectEntry } from '../../src/host/inspect-entry.js';
import { openKeyring } from '../../src/core/sign/keyring.js';
import { signPackage } from '../../src/core/sign/sign-package.js';
import { repoRoot } from './pm.js';

/** Writes a valid plugin folder (ESM entry) named `name` at `version`; `extra` is merged into plugin.json. */
export async function storePlugin(dir: string, name: string, version: string, extra: Record<string, unknown> = {}): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'plugin.json'), JSON.stringify({ name, version, description: `${name} test plugin`, main: 'index.js', ...extra }, null, 2));
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
  await writeFile(join(dir, 'index.js'), 'export default {};\n');
  await writeFile(join(dir, 'VERSION'), `${version}\n`);
  return dir;
}

/** Copies the store-notes fixture to `dir`, at `version`, with a VERSION file naming it. */
export async function notesPlugin(dir: string, version = '1.0.0', extra: Record<string, unknown> = {}): Promise<string> {
  await cp(join(repoRoot, 'test', 'fixtures', 'store-notes'), dir, { recursive: true });
  const m = JSON.parse(await readFile(join(dir, 'plugin.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(join(dir, 'plugin.json'), JSON.stringify({ ...m, version, ...extra }, null, 2));
  await writeFile(join(dir, 'VERSION'), `${version}\n`);
  return dir;
}

/** Packs a plugin folder with pm's own packPlugin into `outDir`; returns the .tgz path. */
export async function pack(dir: string, outDir: string): Promise<string> {
  return (await packPlugin(dir, { outDir, inspectEntry })).file;
}

/** Makes an own (hence trusted) signing key in `home`'s keyring; returns its fingerprint. */
export async function signingKey(home: string): Promise<string> {
  return (await openKeyring(home).generate({ name: 'Store Test', email: 'store@example.org' })).fingerprint;
}

/** Signs a .tgz with the default key of `home`, writing `<tgz>.prov`. */
export async function sign(tgz: string, home: string): Promise<string> {
  return (await signPackage(tgz, { home })).provPath;
}

/** One hand-made tar entry: any type, path and mode, even ones pm must refuse. */
export interface RawEntry {
  path: string;
  type?: 'File' | 'Directory' | 'SymbolicLink' | 'Link' | 'CharacterDevice' | 'BlockDevice' | 'FIFO';
  mode?: number;
  body?: string | Buffer;
  linkpath?: string;
  /** Size claimed in the header (default: the body's length). */
  size?: number;
}

/** The 512-byte header block of a raw entry. */
export function headerBlock(e: RawEntry): Buffer {
  const body = typeof e.body === 'string' ? Buffer.from(e.body) : e.body ?? Buffer.alloc(0);
  const h = new Header({
    path: e.path, type: e.type ?? 'File', mode: e.mode ?? (e.type === 'Directory' ? 0o755 : 0o644),
    size: e.size ?? (e.type === 'Directory' ? 0 : body.length), mtime: new Date(0), uid: 0, gid: 0, linkpath: e.linkpath,
    devmaj: 0, devmin: 0,
  });
  const block = Buffer.alloc(512);
  h.encode(block, 0);
  return block;
}

/** A raw (uncompressed) tar of the given entries, with the two end-of-archive blocks. */
export function rawTar(entries: RawEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    parts.push(headerBlock(e));
    const body = typeof e.body === 'string' ? Buffer.from(e.body) : e.body ?? Buffer.alloc(0);
    if (body.length) {
      parts.push(body);
      const pad = (512 - (body.length % 512)) % 512;
      if (pad) parts.push(Buffer.alloc(pad));
    }
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** Writes a gzip'd raw tar of `entries` to `file`; returns `file`. */
export async function writeRawTgz(file: string, entries: RawEntry[]): Promise<string> {
  await writeFile(file, gzipSync(rawTar(entries), { level: 9 }));
  return file;
}

/** A valid manifest entry for a hand-made package. */
export function manifestEntry(name: string, version: string): RawEntry {
  return { path: 'package/plugin.json', body: JSON.stringify({ name, version, main: 'index.js', description: 'hand-made package' }) };
}

/** Every file and folder under `root` (links included) with a hash of its content, for "nothing changed" checks. */
export async function snapshot(root: string, skip: (rel: string) => boolean = () => false): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const name of (await readdir(dir).catch(() => [])).sort()) {
      const p = join(dir, name);
      const rel = relative(root, p);
      if (skip(rel)) continue;
      const s = await lstat(p);
      if (s.isDirectory()) {
        out[rel + '/'] = 'dir';
        await walk(p);
      } else if (s.isFile()) {
        out[rel] = createHash('sha256').update(await readFile(p)).digest('hex');
      } else {
        out[rel] = `special:${s.mode.toString(8)}`;
      }
    }
  };
  await walk(root);
  return out;
}
