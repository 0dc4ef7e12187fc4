import semver from 'semver';
import { isPmError, PmError } from '../errors.js';
import type { InstallResult } from '../store/install.js';
import { loadCatalog, type CatalogOptions } from './catalog.js';
import { runningEngines } from './engines.js';
import { installedInfo, installPlan } from './install.js';
import type { FetchEvent, LoadedIndex } from './load-index.js';
import { enginesCompatible, resolvePlan } from './resolve-plan.js';

export interface UpdateCheck {
  name: string;
  registry: string;
  installed: string;
  /** Highest version whose engines accept this pm and Node, or null when none is newer-or-equal. */
  latestCompatible: string | null;
  latest: string | null;
  updateAvailable: boolean;
}

export interface UpdateOptions extends CatalogOptions {
  home: string;
  allowUnsigned?: boolean;
  onPackageProgress?: (id: string, received: number, total?: number) => void;
  /** Called before each download attempt of a package, for a progress display. */
  onPackageFetch?: (id: string, event: FetchEvent) => void;
}

function compareOne(loaded: LoadedIndex[], name: string, registry: string, installed: string): UpdateCheck {
  const l = loaded.find((x) => x.registry.name === registry);
  const p = l?.index.plugins[name];
  if (!p) return { name, registry, installed, latestCompatible: null, latest: null, updateAvailable: false };
  const engines = runningEngines();
  const compatible = Object.entries(p.versions).filter(([v, e]) => semver.valid(v) && !semver.prerelease(v) && enginesCompatible(e, engines)).map(([v]) => v);
  const best = compatible.length ? semver.rsort(compatible)[0] : null;
  return { name, registry, installed, latestCompatible: best, latest: p.latest, updateAvailable: best !== null && semver.gt(best, installed) };
}

/** For every plugin installed from a registry: installed, latest compatible and latest versions. */
export async function checkUpdates(opts: UpdateOptions): Promise<UpdateCheck[]> {
  return (await checkWithCatalog(opts)).checks;
}

async function checkWithCatalog(opts: UpdateOptions): Promise<{ checks: UpdateCheck[]; loaded: LoadedIndex[] }> {
  const installed = await installedInfo(opts.home);
  const fromMarket = Object.entries(installed).filter(([, i]) => i.source?.type === 'marketplace' && i.source.marketplace);
  if (fromMarket.length === 0) return { checks: [], loaded: [] };
  const loaded = await loadCatalog(opts.home, { ...opts, registry: undefined });
  const checks = fromMarket.map(([name, i]) => compareOne(loaded, name, i.source!.marketplace!, i.version)).sort((a, b) => a.name.localeCompare(b.name));
  return { checks, loaded };
}

export interface UpdateOneResult {
  name: string;
  from: string;
  to: string | null;
  /** Set when an earlier update in the same run brought this one along as a dependency. */
  via?: string;
  /** Everything installed in the same atomic change (the plugin and new dependencies). */
  installed: InstallResult[];
}

async function updateWith(opts: UpdateOptions, loaded: LoadedIndex[], installed: Awaited<ReturnType<typeof installedInfo>>, name: string): Promise<UpdateOneResult> {
  const have = installed[name];
  if (!have) throw new PmError('NOT_INSTALLED', `plugin ${name} is not installed`, { hint: `install it with 'pm marketplace-install ${name}'`, data: { name } });
  if (have.source?.type !== 'marketplace' || !have.source.marketplace) {
    throw new PmError('NOT_FROM_MARKETPLACE', `plugin ${name} was not installed from a registry (source: ${have.source?.type ?? 'unknown'})`, { hint: `update it with 'pm plugin-update ${name}'`, data: { name } });
  }
  const plan = resolvePlan([{ name, range: `>=${have.version}`, registry: have.source.marketplace }], {
    sources: loaded.map((l) => ({ registry: l.registry.name, index: l.index })), installed, engines: runningEngines(),
  });
  const todo = plan.filter((p) => p.from !== p.version);
  const me = plan.find((p) => p.name === name)!;
  if (!todo.some((p) => p.name === name)) return { name, from: have.version, to: null, installed: [] };
  const results = await installPlan(opts.home, todo, loaded, opts);
  return { name, from: have.version, to: me.version, installed: results };
}

/** Updates one plugin (and any dependency it now needs) to its newest compatible version, atomically. */
export async function updateMarketplacePlugin(name: string, opts: UpdateOptions): Promise<UpdateOneResult> {
  const installed = await installedInfo(opts.home);
  const loaded = await loadCatalog(opts.home, { ...opts, registry: undefined });
  return updateWith(opts, loaded, installed, name);
}

export interface UpdateAllResult {
  dryRun: boolean;
  /** Plugins with an update available. */
  candidates: UpdateCheck[];
  updated: UpdateOneResult[];
  failed: Array<{ name: string; code: string; message: string; hint?: string }>;
}

/** Updates every plugin that has a newer compatible version; each update is its own atomic change and one failure does not stop the rest. */
export async function updateAll(opts: UpdateOptions & { dryRun?: boolean }): Promise<UpdateAllResult> {
  const { checks, loaded } = await checkWithCatalog(opts);
  const candidates = checks.filter((c) => c.updateAvailable);
  if (opts.dryRun || candidates.length === 0) return { dryRun: Boolean(opts.dryRun), candidates, updated: [], failed: [] };
  const updated: UpdateOneResult[] = [];
  const failed: UpdateAllResult['failed'] = [];
  for (const c of candidates) {
    try {
      // Re-read state each time: an earlier update may have brought this one along already.
      const installed = await installedInfo(opts.home);
      const now = installed[c.name]?.version;
      if (now && now !== c.installed) {
        const via = updated.find((u) => u.installed.some((x) => x.name === c.name))?.name;
        updated.push({ name: c.name, from: c.installed, to: now, installed: [], ...(via ? { via } : {}) });
        continue;
      }
      const r = await updateWith(opts, loaded, installed, c.name);
      if (r.to) updated.push(r);
    } catch (err) {
      if (!isPmError(err)) throw err;
      failed.push({ name: c.name, code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) });
    }
  }
  return { dryRun: false, candidates, updated, failed };
}
