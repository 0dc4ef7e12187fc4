import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import semver from 'semver';
import { PmError, usageError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { readRegularText } from '../fs/read-regular-file.js';
import { parseUntrustedJson } from '../json/parse-untrusted.js';
import { checkIndexSchema } from '../index-format/check-schema.js';
import { parseDuration } from './duration.js';
import type { IndexPlugin, IndexVersion, RegistryIndex } from '../index-format/types.js';
import { manifestFacts, type ManifestFacts } from './manifest-facts.js';

export interface RegistryBuildOptions {
  /** The site folder to create or update. */
  out: string;
  home: string;
  /** Key to sign index.json with (fingerprint or suffix); default: the keyring's default key. */
  signKey?: string;
  passphrase?: string;
  /** Write an unsigned index (clients then need --allow-unsigned). */
  unsigned?: boolean;
  /** Accept packages without a .prov. */
  allowUnsignedPackages?: boolean;
  /** The URL the site will be served from; clients refuse the index anywhere else. */
  baseUrl?: string;
  /** How long the index stays valid: 30d (default), 12h, never. */
  expiresIn?: string;
  /** The registry's name in the index (default: the previous one, else the site folder's name). */
  name?: string;
  /** Ratings and download counts the operator collects elsewhere: { "<plugin>": { "rating": 4.5, "downloads": 10 } }. */
  stats?: Record<string, { rating?: number | null; downloads?: number }>;
  now?: Date;
  /** Also write `.claude-plugin/marketplace.json` and a Claude Code plugin per pm plugin (core/claude-marketplace). */
  claudeMarketplace?: boolean;
}

export interface RegistryBuildResult {
  out: string;
  name: string;
  version: number;
  expires: string | null;
  plugins: number;
  versions: number;
  /** name@version of packages added by this build. */
  added: string[];
  /** name@version already in the index with the same bytes. */
  unchanged: string[];
  /** Fingerprint of the index signature's key, or null when unsigned. */
  signedBy: string | null;
  /** The Claude Code marketplace files written (site-relative), with claudeMarketplace. */
  claudeFiles?: string[];
}

async function findPackages(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw usageError(`cannot read ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'give the folder that holds the .tgz packages (and their .prov files)');
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await findPackages(p)));
    else if (e.isFile() && e.name.endsWith('.tgz')) out.push(p);
  }
  return out.sort();
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(() => true, () => false);
}

/** Reads the site's current index (if any) so a rebuild keeps its versions and bumps its counter. */
async function readPrevious(out: string): Promise<RegistryIndex | undefined> {
  let text: string;
  try {
    text = await readRegularText(join(out, 'index.json'), { what: 'the existing index', maxBytes: 256 * 1024 * 1024 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let index: unknown;
  try {
    index = parseUntrustedJson(text, { what: join(out, 'index.json'), maxBytes: Number.MAX_SAFE_INTEGER });
  } catch (err) {
    throw new PmError('SITE_INDEX_INVALID', `${join(out, 'index.json')} is not JSON: ${(err as Error).message}`, { hint: 'restore the site from a backup, or build into an empty folder' });
  }
  checkIndexSchema(out, index);
  return index as RegistryIndex;
}

/** Copies a file into the site so a reader never sees half of it. */
async function copyInto(src: string, dest: string): Promise<void> {
  await mkdir(join(dest, '..'), { recursive: true });
  const tmp = `${dest}.${process.pid}.tmp`;
  await copyFile(src, tmp);
  await rename(tmp, dest).catch(async (err) => {
    await rm(tmp, { force: true });
    throw err;
  });
}

function pickLatest(versions: string[]): string {
  const stable = versions.filter((v) => !semver.prerelease(v));
  return semver.rsort([...(stable.length ? stable : versions)])[0];
}

/**
 * Builds or updates a static marketplace site from a folder of packages (DESIGN §6):
 * reads each .tgz's manifest, checks its .prov, copies both under packages/<name>/,
 * writes index.json (earlier versions kept, `version` + 1) and signs it into index.json.asc.
 */
export async function buildRegistry(packagesDir: string, opts: RegistryBuildOptions): Promise<RegistryBuildResult> {
  const out = resolve(opts.out);
  const now = opts.now ?? new Date();
  const expiresMs = parseDuration(opts.expiresIn ?? '30d');
  const files = await findPackages(resolve(packagesDir));
  if (files.length === 0) throw usageError(`no .tgz packages in ${packagesDir}`, "make them with 'pm plugin-package' and sign them with 'pm plugin-sign'");

  const { integrityOfFile, readTarballManifest } = await import('../pack/index.js');
  const { verifyPackage, openKeyring, signDetached } = await import('../sign/index.js');
  const keyring = openKeyring(opts.home);

  // Sign-side checks first: nothing is written if the signing key is missing.
  const signInfo = opts.unsigned ? undefined : opts.signKey ? await keyring.get(opts.signKey) : await keyring.defaultSigningKey();
  if (!opts.unsigned && !signInfo) {
    throw new PmError('KEY_NONE', `no key to sign the index with in ${join(opts.home, 'keys')}`, { hint: "make one with 'pm keys-generate', name one with --sign-key, or build an unsigned index with --unsigned" });
  }

  const previous = await readPrevious(out);
  const plugins: Record<string, IndexPlugin> = structuredClone(previous?.plugins ?? {});
  const keys: Record<string, string> = { ...(previous?.keys ?? {}) };
  const facts = new Map<string, ManifestFacts>();
  const added: string[] = [];
  const unchanged: string[] = [];
  const copies: Array<[string, string]> = [];
  const seen = new Map<string, string>();

  for (const tgz of files) {
    const manifest = await readTarballManifest(tgz);
    const f = manifestFacts(manifest, tgz);
    const id = `${f.name}@${f.version}`;
    if (seen.has(id)) throw new PmError('REGISTRY_DUPLICATE', `${id} is in both ${seen.get(id)} and ${tgz}`, { hint: 'keep one package per version in the folder' });
    seen.set(id, tgz);
    const size = (await stat(tgz)).size;
    const integrity = await integrityOfFile(tgz);
    const old = plugins[f.name]?.versions[f.version];
    if (old) {
      if (old.integrity !== integrity) {
        throw new PmError('REGISTRY_VERSION_IMMUTABLE', `${id} is already published with different content`, {
          hint: 'a published version never changes: bump the version in plugin.json and package again',
          data: { name: f.name, version: f.version, published: old.integrity, got: integrity },
        });
      }
      unchanged.push(id);
      continue;
    }
    const provPath = `${tgz}.prov`;
    let signer: string | null = null;
    if (await exists(provPath)) {
      const v = await verifyPackage(tgz, { home: opts.home, provPath });
      signer = v.signer.fingerprint;
      keys[signer] ??= await keyring.exportPublic(signer);
    } else if (!opts.allowUnsignedPackages) {
      throw new PmError('PACKAGE_UNSIGNED', `${tgz} has no .prov beside it`, { hint: "sign it with 'pm plugin-sign', or pass --allow-unsigned-packages" });
    }
    const rel = `packages/${f.name}/${f.name}-${f.version}.tgz`;
    copies.push([tgz, join(out, rel)]);
    if (signer) copies.push([provPath, join(out, `${rel}.prov`)]);
    const entry: IndexVersion = {
      url: rel, size, integrity, provenance: signer ? `${rel}.prov` : null, signer,
      engines: f.engines, dependencies: f.dependencies, tools: f.tools,
      ...(f.permissions ? { permissions: f.permissions } : {}),
      publishedAt: now.toISOString(), deprecated: null,
    };
    const p = plugins[f.name] ?? { description: '', categories: [], tags: [], latest: f.version, versions: {} };
    p.versions[f.version] = entry;
    plugins[f.name] = p;
    facts.set(id, f);
    added.push(id);
  }

  // Plugin-level metadata follows the latest version; for an untouched plugin it stays as it was.
  for (const [name, p] of Object.entries(plugins)) {
    p.latest = pickLatest(Object.keys(p.versions));
    const f = facts.get(`${name}@${p.latest}`);
    if (!f) continue;
    p.description = f.description;
    p.categories = f.categories;
    p.tags = f.tags;
    if (f.author) p.author = f.author; else delete p.author;
    if (f.license) p.license = f.license; else delete p.license;
    if (f.homepage) p.homepage = f.homepage; else delete p.homepage;
  }

  for (const [name, st] of Object.entries(opts.stats ?? {})) {
    const p = plugins[name];
    if (!p) continue; // stats for plugins this site does not carry are ignored
    if (st.rating !== undefined) p.rating = st.rating;
    if (st.downloads !== undefined) p.downloads = st.downloads;
  }

  const sorted = (o: Record<string, IndexPlugin>) => Object.fromEntries(Object.keys(o).sort().map((k) => [k, { ...o[k], versions: Object.fromEntries(semver.sort(Object.keys(o[k].versions)).map((v) => [v, o[k].versions[v]])) }]));
  const index: RegistryIndex = {
    schemaVersion: 1,
    name: opts.name ?? previous?.name ?? (basename(out).toLowerCase().replace(/[^a-z0-9._-]/g, '-').replace(/^[^a-z0-9]+/, '') || 'registry'),
    ...(opts.baseUrl ?? previous?.url ? { url: opts.baseUrl ?? previous?.url } : {}),
    version: (previous?.version ?? 0) + 1,
    generatedAt: now.toISOString(),
    expires: expiresMs === null ? null : new Date(now.getTime() + expiresMs).toISOString(),
    ...(Object.keys(keys).length ? { keys: Object.fromEntries(Object.keys(keys).sort().map((k) => [k, keys[k]])) } : {}),
    plugins: sorted(plugins),
  };
  checkIndexSchema(index.name, index);
  const bytes = Buffer.from(JSON.stringify(index, null, 2) + '\n');
  // Sign before writing anything, so a wrong passphrase leaves the site as it was.
  const signature = signInfo ? await signDetached(bytes, { home: opts.home, key: signInfo.fingerprint, passphrase: opts.passphrase }) : undefined;

  for (const [src, dest] of copies) await copyInto(src, dest);
  if (signInfo && signature) {
    await writeFileAtomic(join(out, 'key.asc'), await keyring.exportPublic(signInfo.fingerprint));
    // The signature goes first: a client that reads between the two writes sees a mismatch, never an unsigned index.
    await writeFileAtomic(join(out, 'index.json.asc'), signature);
  } else {
    await rm(join(out, 'index.json.asc'), { force: true });
  }
  await writeFileAtomic(join(out, 'index.json'), bytes);
  let claudeFiles: string[] | undefined;
  if (opts.claudeMarketplace) {
    const { writeClaudeMarketplace } = await import('../claude-marketplace/write-marketplace.js');
    claudeFiles = await writeClaudeMarketplace(out, index);
  }

  return {
    out, name: index.name, version: index.version, expires: index.expires,
    plugins: Object.keys(index.plugins).length,
    versions: Object.values(index.plugins).reduce((n, p) => n + Object.keys(p.versions).length, 0),
    added, unchanged, signedBy: signInfo?.fingerprint ?? null, ...(claudeFiles ? { claudeFiles } : {}),
  };
}
