import { basename } from 'node:path';
import semver from 'semver';
import { isPmError, PmError, usageError } from '../errors.js';
import type { InstallResult, PackageRequest } from '../store/install.js';
import type { VerifiedPackage } from '../store/verify.js';
import { loadCatalog, type CatalogOptions } from './catalog.js';
import { listRegistries } from './registries-config.js';
import { downloadPackage } from './download-package.js';
import { runningEngines } from './engines.js';
import type { FetchEvent, LoadedIndex } from './load-index.js';
import { resolvePlan, type InstalledInfo, type InstallRequest, type PlanItem } from './resolve-plan.js';

export interface MarketplaceInstallOptions extends CatalogOptions {
  home: string;
  /** `name` or `name@range`. */
  specs: string[];
  /** An exact version (one spec only). */
  version?: string;
  /** Install unsigned packages (recorded as unsigned). */
  allowUnsigned?: boolean;
  /** Resolve and report, install nothing. */
  dryRun?: boolean;
  /** Progress of package downloads, for a spinner. */
  onPackageProgress?: (id: string, received: number, total?: number) => void;
  /** Called before each download attempt of a package, for a progress display. */
  onPackageFetch?: (id: string, event: FetchEvent) => void;
}

export interface PlannedPackage {
  name: string;
  version: string;
  registry: string;
  from: string | null;
  requiredBy: string[];
  size: number;
  signer: string | null;
}

export interface MarketplaceInstallResult {
  planned: PlannedPackage[];
  installed: InstallResult[];
  /** Requested plugins that were already at the chosen version. */
  upToDate: string[];
  dryRun: boolean;
}

/** Splits `name@range` (the range may hold spaces or `@`-free operators). */
export function parseSpec(spec: string): InstallRequest {
  const at = spec.indexOf('@', 1);
  const name = at < 0 ? spec : spec.slice(0, at);
  const range = at < 0 ? undefined : spec.slice(at + 1);
  if (!/^[a-z][a-z0-9-]{0,49}$/.test(name)) throw usageError(`"${name}" is not a plugin name`, 'plugin names are lower-case letters, digits and dashes');
  if (range !== undefined && !semver.validRange(range)) throw usageError(`"${range}" is not a semver range`, 'use a version or a range: notes@1.2.0, notes@^1.2');
  return { name, ...(range !== undefined ? { range } : {}) };
}

/** What resolution needs from state.json: every installed plugin's version and plugin dependencies. */
export async function installedInfo(home: string): Promise<Record<string, InstalledInfo & { source?: { type: string; marketplace?: string } }>> {
  const { readState } = await import('../store/state.js');
  const state = await readState(home);
  return Object.fromEntries(Object.values(state.plugins).map((p) => [p.name, { version: p.version, dependencies: p.dependencies ?? {}, source: p.source }]));
}

/**
 * A verifier for the store: the provenance must be signed by exactly the key the signed index
 * lists for that version (the index carries that key), whatever else the user's keyring trusts.
 */
function registryVerifier(expected: Map<string, { item: PlanItem; key: string }>) {
  return async (tgz: string, options: { home: string; provPath?: string }): Promise<VerifiedPackage> => {
    const e = expected.get(tgz);
    if (!e) throw new PmError('INTERNAL', `no registry entry for ${tgz}`);
    const { verifyPackage } = await import('../sign/index.js');
    let v: VerifiedPackage;
    try {
      v = await verifyPackage(tgz, { provPath: options.provPath, trustedKeys: [e.key], fileName: basename(tgz) });
    } catch (err) {
      // Only the listed key is offered, so "unknown signer" means: signed by a key the registry did not list.
      if (isPmError(err) && err.code === 'SIGNER_UNKNOWN') {
        throw new PmError('PACKAGE_SIGNER_NOT_LISTED', `${e.item.name}@${e.item.version} from registry ${e.item.registry} is signed by a key the registry does not list for it (${String(err.data?.keyIds ?? '')}; listed: ${e.item.entry.signer})`, {
          hint: 'the package or its provenance was replaced; do not install it and tell the registry operator', data: { name: e.item.name, version: e.item.version, registry: e.item.registry },
        });
      }
      throw err;
    }
    if (v.signer.fingerprint !== e.item.entry.signer) {
      throw new PmError('PACKAGE_SIGNER_MISMATCH', `${e.item.name}@${e.item.version} is signed by ${v.signer.fingerprint}, but registry ${e.item.registry} lists ${e.item.entry.signer}`, {
        hint: 'do not install it; tell the registry operator', data: { name: e.item.name, version: e.item.version },
      });
    }
    return v;
  };
}

/** Downloads, verifies and installs a resolved plan as one all-or-nothing store change. */
export async function installPlan(home: string, plan: PlanItem[], loaded: LoadedIndex[], opts: { allowUnsigned?: boolean; timeoutMs?: number; retries?: number; updateOnly?: boolean; onPackageProgress?: MarketplaceInstallOptions['onPackageProgress']; onPackageFetch?: MarketplaceInstallOptions['onPackageFetch'] }): Promise<InstallResult[]> {
  const byName = new Map(loaded.map((l) => [l.registry.name, l]));
  const requests: PackageRequest[] = [];
  const expected = new Map<string, { item: PlanItem; key: string }>();
  for (const item of plan) {
    const l = byName.get(item.registry)!;
    const id = `${item.name}@${item.version}`;
    if (!item.entry.signer || !item.entry.provenance) {
      if (!opts.allowUnsigned) {
        throw new PmError('PACKAGE_UNSIGNED', `${id} in registry ${item.registry} is not signed`, { hint: 'install it only if you trust it unsigned: add --allow-unsigned', data: { name: item.name, version: item.version } });
      }
    }
    const key = item.entry.signer ? l.index.keys?.[item.entry.signer] : undefined;
    if (item.entry.signer && !key) {
      throw new PmError('SIGNER_KEY_MISSING', `registry ${item.registry} lists signer ${item.entry.signer} for ${id} but does not carry that key`, { hint: 'tell the registry operator; the index must include the publisher keys it lists' });
    }
    const dl = await downloadPackage(home, l.registry, item.name, item.version, item.entry, { timeoutMs: opts.timeoutMs, retries: opts.retries, onProgress: opts.onPackageProgress ? (r, t) => opts.onPackageProgress!(id, r, t) : undefined,
      onAttempt: opts.onPackageFetch ? (url, attempt, attempts, lastError) => opts.onPackageFetch!(id, { what: 'package', url, attempt, attempts, lastError }) : undefined,
    });
    if (key) expected.set(dl.tgz, { item, key });
    requests.push({
      source: dl.tgz,
      ...(dl.prov ? { prov: dl.prov } : {}),
      expect: { name: item.name, version: item.version, integrity: item.entry.integrity },
      recordAs: { type: 'marketplace', marketplace: item.registry, url: item.entry.url },
    });
  }
  const { installPackages } = await import('../store/install.js');
  return installPackages(requests, { home, allowUnsigned: opts.allowUnsigned, verify: registryVerifier(expected), allowDowngrade: false, updateOnly: opts.updateOnly });
}

function planned(plan: PlanItem[]): PlannedPackage[] {
  return plan.map((p) => ({ name: p.name, version: p.version, registry: p.registry, from: p.from ?? null, requiredBy: p.requiredBy, size: p.entry.size, signer: p.entry.signer }));
}

/**
 * Installs plugins from the configured registries: picks the highest version that satisfies
 * the range and the engines, resolves plugin dependencies across registries, downloads and
 * verifies every package, and installs the whole set atomically through the store.
 */
export async function marketplaceInstall(opts: MarketplaceInstallOptions): Promise<MarketplaceInstallResult> {
  if (opts.specs.length === 0) throw usageError('name the plugin to install', 'pm marketplace-install <name>[@range]');
  const requests = opts.specs.map(parseSpec).map((r) => ({ ...r, ...(opts.registry ? { registry: opts.registry } : {}) }));
  if (opts.version !== undefined) {
    if (requests.length !== 1) throw usageError('--version applies to one plugin at a time', 'use name@version for several');
    if (!semver.valid(opts.version)) throw usageError(`--version ${opts.version} is not a version`, 'give an exact version, e.g. --version 1.2.0');
    requests[0].range = opts.version;
  }
  const installed = await installedInfo(opts.home);
  const resolve = (loaded: LoadedIndex[]) => resolvePlan(requests, { sources: loaded.map((l) => ({ registry: l.registry.name, index: l.index })), installed, engines: runningEngines() });
  // --registry X reads X alone; the others only when X lacks a dependency (then X first, each failing alone).
  let loaded = await loadCatalog(opts.home, opts);
  let plan: PlanItem[];
  try {
    plan = resolve(loaded);
  } catch (err) {
    const missingDependency = opts.registry && isPmError(err) && err.code === 'RESOLVE_NOT_FOUND' && !(err.data?.requiredBy as string[] | undefined)?.includes('user');
    const others = missingDependency ? (await listRegistries(opts.home)).filter((r) => r.name !== opts.registry) : [];
    if (others.length === 0) throw err;
    loaded = [...loaded, ...(await loadCatalog(opts.home, { ...opts, registry: undefined, exclude: opts.registry }))];
    plan = resolve(loaded);
  }
  const upToDate = plan.filter((p) => p.from === p.version).map((p) => `${p.name}@${p.version}`);
  const todo = plan.filter((p) => p.from !== p.version);
  if (opts.dryRun || todo.length === 0) return { planned: planned(todo), installed: [], upToDate, dryRun: Boolean(opts.dryRun) };
  const results = await installPlan(opts.home, todo, loaded, opts);
  return { planned: planned(todo), installed: results, upToDate, dryRun: false };
}
