import { mkdir, rm, rmdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
// Subpath imports: the semver index loads all ~50 of its modules, which costs start-up time.
import compareVersions from 'semver/functions/compare.js';
import { PmError } from '../errors.js';
import { checkEngines, currentEngines, type EngineVersions } from '../resolve/engines.js';
import { checkDependencies, type ResolvedPlugin } from '../resolve/dependencies.js';
import { consentWarnings } from '../permissions/describe.js';
import { resolvePolicy } from '../permissions/policy.js';
import { widenedPermissions } from '../permissions/widening.js';
import { appendAudit } from './audit.js';
import { announceStoreChange } from './events.js';
import { DEFAULT_LIMITS, extractPackage, type ExtractLimits } from './extract.js';
import { withStoreLock } from './lock.js';
import { checkManifestBasics, readPluginManifest } from '../manifest/read.js';
import type { Manifest } from '../manifest/types.js';
import { storePaths } from './paths.js';
import { classifySource, copyPluginFolder, download, pathExists, urlFileName, type DownloadOptions } from './source.js';
import { pluginDir, readState, type InstalledPlugin, type PluginSource, type SignerInfo, type StoreState } from './state.js';
import { commitChange, newTxId, recoverStore, stagingDir, type JournalOp } from './transaction.js';
import { verifyWithKeyring, type PackageVerifier } from './verify.js';
import { validateFolderForInstall } from './validate-folder.js';
import type { InspectEntry } from '../validate/types.js';

/** One package to install. */
export interface PackageRequest {
  /** A plugin folder, a .tgz path or an http(s) URL of one. */
  source: string;
  /** Provenance file or URL; default: `<source>.prov` beside the package. */
  prov?: string;
  /** What the caller asked for: the package is refused if its manifest or integrity differ. */
  expect?: { name?: string; version?: string; integrity?: string };
  /** Recorded in state.json instead of the source derived from `source` (e.g. a marketplace). */
  recordAs?: PluginSource;
}

export interface InstallOptions {
  home: string;
  /** Install .tgz packages without a trusted signature, recorded as unsigned. */
  allowUnsigned?: boolean;
  /** Reinstall a plugin at the version already installed. */
  force?: boolean;
  /** Allow replacing a plugin by a lower version. */
  allowDowngrade?: boolean;
  /** Only replace installed plugins (plugin-update); refuse new ones. */
  updateOnly?: boolean;
  /** Enable newly installed plugins (default true; updates keep their state). */
  enable?: boolean;
  limits?: Partial<ExtractLimits>;
  lockTimeoutMs?: number;
  /** The versions engines are checked against (default: this pm and this Node). */
  engines?: EngineVersions;
  verify?: PackageVerifier;
  /** Extra armored public keys trusted for these packages only (a registry's pinned key). */
  trustedKeys?: string[];
  /** Loads a folder's entry in the sandbox for plugin-validate's implementation check (injected: core does not import host/). */
  inspectEntry?: InspectEntry;
  /** Connect and idle timeout in ms for URL sources (default 30 s). */
  fetchTimeoutMs?: number;
  /** Called before each download attempt of a URL source, for a progress display. */
  onFetch?: DownloadOptions['onAttempt'];
  /** plugin-update: accept permissions the new version adds without asking (--yes). */
  yes?: boolean;
  /** plugin-update: shown what the new version adds to the permissions (before any question). */
  onWidened?: (plugin: string, lines: string[]) => void;
  /** plugin-update on a terminal: asks whether to accept the added permissions. */
  confirmWidened?: (plugin: string, lines: string[]) => Promise<boolean>;
}

/** What one install did. */
export interface InstallResult {
  name: string;
  version: string;
  action: 'installed' | 'updated' | 'reinstalled' | 'downgraded';
  previousVersion: string | null;
  enabled: boolean;
  integrity: string | null;
  signer: SignerInfo | null;
  source: PluginSource;
  /** Permissions that give the plugin full trust (childProcess, worker, addons). */
  fullTrust: string[];
  /** What the user is asked to accept: full-trust grants and refused paths (core/permissions/describe.ts). */
  permissionWarnings: string[];
  /** Why a new plugin was left disabled, if it was. */
  note?: string;
}

interface Prepared {
  request: PackageRequest;
  manifest: Manifest;
  staged: string;
  integrity: string | null;
  signer: SignerInfo | null;
  source: PluginSource;
  size: number;
}

/** The install warnings from the plugin's policy, resolved where it will live. */
function consent(m: Manifest, home: string): Pick<InstallResult, 'fullTrust' | 'permissionWarnings'> {
  const policy = resolvePolicy(m, { pluginDir: join(storePaths(home).plugins, m.name), dataDir: join(storePaths(home).data, m.name), pmHome: home });
  return { fullTrust: policy.fullTrust, permissionWarnings: consentWarnings(policy) };
}

/** `<name>-<version>.tgz` as plugin-package names it, or undefined. */
function parsePackageFileName(file: string): { name: string; version: string } | undefined {
  const m = /^([a-z][a-z0-9-]{0,49}?)-(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?)\.tgz$/.exec(file);
  return m ? { name: m[1]!, version: m[2]! } : undefined;
}

function mismatch(file: string, field: 'name' | 'version', asked: string, found: unknown): PmError {
  return new PmError('MANIFEST_MISMATCH', `refused ${file}: package/plugin.json has ${field} ${JSON.stringify(found)}, but ${JSON.stringify(asked)} was asked for`, {
    hint: 'the package is not what it claims to be; get it again from its publisher and do not install this copy',
    data: { file, field, asked, found },
  });
}

/** The full manifest check of core/manifest (schema and rules), on files that are already local. */
async function validatedManifest(dir: string): Promise<Manifest> {
  return (await readPluginManifest(dir, { check: 'full' })).manifest;
}

/** Fetches, verifies and stages one package under `stage`; nothing outside staging is written. */
async function prepare(req: PackageRequest, stage: string, index: number, opts: InstallOptions, limits: ExtractLimits, checked?: Manifest): Promise<Prepared> {
  const { kind, location } = await classifySource(req.source, opts.home);
  if (kind === 'dir') {
    const manifest = checked ?? await validateFolderForInstall(location, opts.inspectEntry);
    if (req.expect?.name && manifest.name !== req.expect.name) throw mismatch(location, 'name', req.expect.name, manifest.name);
    if (req.expect?.version && manifest.version !== req.expect.version) throw mismatch(location, 'version', req.expect.version, manifest.version);
    const staged = join(stage, `p${index}-${manifest.name}`);
    const size = await copyPluginFolder(location, staged);
    return { request: req, manifest, staged, integrity: null, signer: null, source: req.recordAs ?? { type: 'dir', path: location }, size };
  }

  let tgz = location;
  let provPath = req.prov;
  const fileName = kind === 'url' ? urlFileName(location) : basename(location);
  if (kind === 'url') {
    const dl = join(stage, 'downloads');
    await mkdir(dl, { recursive: true });
    tgz = join(dl, `${index}-${fileName}`);
    await download(location, tgz, limits.maxUnpackedBytes, false, { timeoutMs: opts.fetchTimeoutMs, onAttempt: opts.onFetch });
    const provUrl = req.prov ?? `${location}.prov`;
    if (/^https?:\/\//i.test(provUrl)) {
      const provFile = `${tgz}.prov`;
      provPath = (await download(provUrl, provFile, 1024 * 1024, true, { timeoutMs: opts.fetchTimeoutMs })) ? provFile : undefined;
    }
  } else if (provPath === undefined && (await pathExists(`${location}.prov`))) {
    provPath = `${location}.prov`;
  }

  if (provPath === undefined && !opts.allowUnsigned) {
    throw new PmError('SIGNATURE_MISSING', `${fileName} is not signed: ${location}.prov does not exist`, {
      hint: `ask the publisher for its .prov and put it beside the package (or pass --prov <file>); to install it unverified anyway, add --allow-unsigned`,
      data: { file: fileName },
    });
  }
  // Verify and extract at once (hashing, gunzip and file writes run off the main thread): the
  // extractor is safe on hostile input and writes only into staging, and nothing is committed
  // unless both succeed and hashed the same bytes.
  const staged = join(stage, `p${index}`);
  const [v, x] = await Promise.allSettled([
    provPath === undefined ? Promise.resolve(undefined) : (opts.verify ?? verifyWithKeyring)(tgz, { home: opts.home, provPath, fileName, trustedKeys: opts.trustedKeys }),
    extractPackage(tgz, staged, limits),
  ]);
  if (v.status === 'rejected') throw v.reason;
  if (x.status === 'rejected') throw x.reason;
  const verified = v.value;
  const scan = x.value;

  const expect = { ...req.expect };
  let signer: SignerInfo | null = null;
  if (verified) {
    signer = verified.signer;
    expect.name ??= verified.name;
    expect.version ??= verified.version;
    if (scan.integrity !== verified.integrity) {
      throw new PmError('TARBALL_CHANGED', `refused ${fileName}: it changed while it was being installed`, {
        hint: 'make sure nothing writes to the package file, then install again', data: { file: fileName },
      });
    }
  }
  const fromName = parsePackageFileName(fileName);
  if (fromName && !expect.name) expect.name = fromName.name;
  if (fromName && !expect.version) expect.version = fromName.version;

  if (expect.name !== undefined && scan.manifest.name !== expect.name) throw mismatch(fileName, 'name', expect.name, scan.manifest.name);
  if (expect.version !== undefined && scan.manifest.version !== expect.version) throw mismatch(fileName, 'version', expect.version, scan.manifest.version);
  if (req.expect?.integrity && scan.integrity !== req.expect.integrity) {
    throw new PmError('INTEGRITY_MISMATCH', `refused ${fileName}: its integrity ${scan.integrity} differs from the expected ${req.expect.integrity}`, {
      hint: 'the package changed since it was published; get it again from its publisher', data: { file: fileName },
    });
  }
  checkManifestBasics(scan.manifest, `${fileName}: package/plugin.json`);
  const manifest = await validatedManifest(staged);
  const source: PluginSource = req.recordAs ?? (kind === 'url' ? { type: 'url', url: location } : { type: 'tgz', path: location });
  return { request: req, manifest, staged, integrity: scan.integrity, signer, source, size: scan.unpackedBytes };
}

function resolvedOf(state: StoreState): ResolvedPlugin[] {
  return Object.values(state.plugins).map((p) => ({ name: p.name, version: p.version, dependencies: p.dependencies ?? {} }));
}

/** An update that widens the declared permissions needs consent again: --yes, a terminal's yes, else PERMISSIONS_WIDENED (nothing changes). */
async function reconsent(m: Manifest, home: string, state: StoreState, opts: InstallOptions): Promise<void> {
  const { manifest: old } = await readPluginManifest(pluginDir(home, m.name, state));
  const lines = widenedPermissions(old.permissions, m.permissions);
  if (!lines.length) return;
  opts.onWidened?.(m.name, lines);
  if (opts.yes) return;
  const accepted = opts.confirmWidened ? await opts.confirmWidened(m.name, lines) : false;
  if (accepted) return;
  throw new PmError('PERMISSIONS_WIDENED', `${m.name}@${m.version} asks for more than the installed ${old.version}: ${lines.join('; ')}`, {
    hint: opts.confirmWidened ? 'nothing was changed; the installed version stays' : 'nothing was changed; read the permissions shown, then run again with --yes to accept them',
    data: { plugin: m.name, version: m.version, installed: old.version, widened: lines },
  });
}

/** Decides install / update / reinstall / downgrade for one package, refusing what was not asked for. */
function decide(prev: InstalledPlugin | undefined, m: Manifest, opts: InstallOptions): InstallResult['action'] {
  if (!prev) {
    if (opts.updateOnly) {
      throw new PmError('NOT_INSTALLED', `plugin "${m.name}" is not installed, so it cannot be updated`, { hint: `install it with 'pm plugin-install <dir|tgz|url>'`, data: { plugin: m.name } });
    }
    return 'installed';
  }
  const cmp = compareVersions(m.version, prev.version);
  if (cmp === 0) {
    if (!opts.force && !prev.linked) {
      throw new PmError('ALREADY_INSTALLED', `${m.name}@${m.version} is already installed`, { hint: 'add --force to reinstall it', data: { plugin: m.name, version: m.version } });
    }
    return 'reinstalled';
  }
  if (cmp < 0) {
    if (!opts.allowDowngrade) {
      throw new PmError('DOWNGRADE', `${m.name}@${m.version} is older than the installed ${prev.version}`, { hint: 'add --allow-downgrade to install the older version', data: { plugin: m.name, version: m.version, installed: prev.version } });
    }
    return 'downgraded';
  }
  return 'updated';
}

/**
 * Installs a set of packages all-or-nothing under the store lock: each is verified, extracted
 * into staging, checked (engines, dependencies, dependents), then all are swapped in with one commit.
 */
export async function installPackages(list: PackageRequest[], opts: InstallOptions): Promise<InstallResult[]> {
  if (list.length === 0) return [];
  // Only the limits actually given override the defaults (an undefined flag must not erase one).
  const given = Object.fromEntries(Object.entries(opts.limits ?? {}).filter(([, v]) => typeof v === 'number')) as Partial<ExtractLimits>;
  const limits: ExtractLimits = { ...DEFAULT_LIMITS, ...given };
  const engines = opts.engines ?? currentEngines();
  // Start loading the manifest validator now; it is needed once files are staged.
  import('../manifest/validate.js').catch(() => {});
  // A source that does not exist, and a folder's plugin.json, are checked before the lock: a
  // refusal creates nothing in PM_HOME, and reading the user's files never holds the lock.
  const folderManifests = new Map<number, Manifest>();
  for (const [i, req] of list.entries()) {
    const { kind, location } = await classifySource(req.source, opts.home);
    if (kind === 'dir') folderManifests.set(i, await validateFolderForInstall(location, opts.inspectEntry));
  }
  const done = await withStoreLock(opts.home, async () => {
    await recoverStore(opts.home);
    const state = await readState(opts.home);
    const tx = newTxId();
    const stage = stagingDir(opts.home, tx);
    await mkdir(stage, { recursive: true });
    try {
      const prepared: Prepared[] = [];
      for (const [i, req] of list.entries()) prepared.push(await prepare(req, stage, i, opts, limits, folderManifests.get(i)));

      const seen = new Set<string>();
      for (const p of prepared) {
        if (seen.has(p.manifest.name)) {
          throw new PmError('DUPLICATE_PACKAGE', `${p.manifest.name} appears twice in one install`, { hint: 'install one version of each plugin at a time' });
        }
        seen.add(p.manifest.name);
        checkEngines(p.manifest, engines);
      }
      const actions = prepared.map((p) => decide(state.plugins[p.manifest.name], p.manifest, opts));
      if (opts.updateOnly) for (const p of prepared) await reconsent(p.manifest, opts.home, state, opts);
      checkDependencies(
        prepared.map((p) => ({ name: p.manifest.name, version: p.manifest.version, dependencies: p.manifest.dependencies ?? {} })),
        resolvedOf(state),
      );

      const now = new Date().toISOString();
      const next: StoreState = { ...state, plugins: { ...state.plugins } };
      const results: InstallResult[] = [];
      const ops: JournalOp[] = [];
      for (const [i, p] of prepared.entries()) {
        const m = p.manifest;
        const prev = state.plugins[m.name];
        let enabled = prev ? prev.enabled : opts.enable ?? true;
        let note: string | undefined;
        if (!prev && enabled) {
          const off = Object.keys(m.dependencies ?? {}).filter((d) => !(next.plugins[d]?.enabled ?? prepared.some((q) => q.manifest.name === d)));
          if (off.length) {
            enabled = false;
            note = `left disabled because ${off.join(', ')} ${off.length > 1 ? 'are' : 'is'} disabled; enable ${off.length > 1 ? 'them' : 'it'} first, then 'pm plugin-enable ${m.name}'`;
          }
        }
        next.plugins[m.name] = {
          name: m.name,
          version: m.version,
          integrity: p.integrity,
          source: p.source,
          signer: p.signer,
          enabled,
          installedAt: prev?.installedAt ?? now,
          updatedAt: now,
          size: p.size,
          dependencies: m.dependencies ?? {},
          config: prev?.config ?? {},
        };
        ops.push({ name: m.name, staged: p.staged });
        results.push({
          name: m.name, version: m.version, action: actions[i]!, previousVersion: prev?.version ?? null, enabled,
          integrity: p.integrity, signer: p.signer, source: p.source, ...consent(m, opts.home), ...(note ? { note } : {}),
        });
      }
      for (const p of prepared) await mkdir(join(storePaths(opts.home).data, p.manifest.name), { recursive: true, mode: 0o755 });
      await commitChange(opts.home, tx, next, ops);
      for (const r of results) {
        await appendAudit(opts.home, {
          action: r.action === 'installed' ? 'install' : 'update', plugin: r.name, version: r.version, integrity: r.integrity,
          signer: r.signer?.fingerprint ?? 'unsigned', previousVersion: r.previousVersion,
        });
      }
      return results;
    } finally {
      // Whatever is still staged was never committed (or was already renamed into place).
      await rm(stage, { recursive: true, force: true });
      await rmdir(dirname(stage)).catch(() => {}); // staging/ itself, when no other change uses it
    }
  }, { timeoutMs: opts.lockTimeoutMs });
  for (const r of done) await announceStoreChange(opts.home, r.action === 'installed' ? 'install' : 'update', { name: r.name, version: r.version, previousVersion: r.previousVersion });
  return done;
}

/** Installs one plugin from a folder, .tgz or URL (an update when it is installed already). */
export async function installPlugin(source: string, opts: InstallOptions & Omit<PackageRequest, 'source'>): Promise<InstallResult> {
  const { prov, expect, recordAs, ...rest } = opts;
  const [result] = await installPackages([{ source, prov, expect, recordAs }], rest);
  return result!;
}

/** Replaces an installed plugin with a newer version in one atomic swap; data/<name> is kept. */
export async function updatePlugin(name: string, source: string, opts: InstallOptions & Omit<PackageRequest, 'source'>): Promise<InstallResult> {
  const { prov, expect, recordAs, ...rest } = opts;
  const [result] = await installPackages([{ source, prov, expect: { ...expect, name }, recordAs }], { ...rest, updateOnly: true });
  return result!;
}

