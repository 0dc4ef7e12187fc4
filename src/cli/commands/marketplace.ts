import type { Command } from 'commander';
import { action, type CommandContext } from '../action.js';
import { warnPermissions } from './plugin-install.js';
import { usageError } from '../../core/errors.js';
import { describeNetworkReason, formatAge } from '../../core/marketplace/unreachable.js';
import type { FetchEvent } from '../../core/marketplace/load-index.js';

interface NetOpts { offline?: boolean; timeout?: string }

function timeoutMs(o: NetOpts): number | undefined {
  if (o.timeout === undefined) return undefined;
  const n = Number(o.timeout);
  if (!Number.isInteger(n) || n <= 0) throw usageError(`--timeout ${o.timeout} is not a number of milliseconds`, 'e.g. --timeout 10000');
  return n;
}

/** A network wait shorter than this shows nothing. */
const SPINNER_DELAY_MS = 1000;

/** What a download attempt of a registry file (or of package `registry`, an id) waits for, e.g. "fetching index of acme from https://… (attempt 2 of 3; last: connection refused)". */
function fetchText(registry: string, e: FetchEvent): string {
  const retry = e.attempt > 1 ? ` (attempt ${e.attempt} of ${e.attempts}; last: ${describeNetworkReason(e.lastError)})` : '';
  if (e.what === 'package') return `downloading ${registry} from ${e.url}${retry}`;
  const what = { index: 'index', signature: 'index signature', key: 'key' }[e.what];
  return `fetching ${what} of ${registry} from ${e.url}${retry}`;
}

function kib(n: number): string {
  return n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`;
}

/** Catalogue options from flags, with a spinner (on a terminal, after a second) saying what pm waits for, and warnings as they come. */
async function netOptions(ctx: CommandContext, o: NetOpts & { registry?: string }) {
  const spinner = await ctx.out.spinner('reading registry indexes', { delayMs: SPINNER_DELAY_MS });
  let waiting = '';
  return {
    spinner,
    options: {
      offline: Boolean(o.offline),
      timeoutMs: timeoutMs(o),
      registry: o.registry,
      onFetch: (reg: string, e: FetchEvent) => { spinner.text = waiting = fetchText(reg, e); },
      onProgress: (_reg: string, got: number, total?: number) => { spinner.text = `${waiting}: ${kib(got)}${total ? ` of ${kib(total)}` : ''}`; },
      onPackageFetch: (id: string, e: FetchEvent) => { spinner.text = waiting = fetchText(id, e); },
      onPackageProgress: (_id: string, got: number, total?: number) => { spinner.text = `${waiting}: ${kib(got)}${total ? ` of ${kib(total)}` : ''}`; },
      onWarning: (w: string) => spinner.around(() => ctx.out.warn(w)),
    },
  };
}

/** Under --offline, says how old each cached index is (an unreachable registry's cache was already warned about). */
function offlineNotes(ctx: CommandContext, o: NetOpts, regs: Array<{ name: string; from: string; ageMs: number }>): void {
  if (o.offline) for (const r of regs) if (r.from === 'cache') ctx.out.info(`using the cached index of ${r.name}, fetched ${formatAge(r.ageMs)} ago`);
}

const withNet = (c: Command) => c
  .option('--offline', 'use the cached indexes; no network')
  .option('--timeout <ms>', 'time allowed for each download attempt (default 30000)');

/** Registers the marketplace-* commands. */
export function register(program: Command): void {
  program
    .command('marketplace-add')
    .description('add a registry and pin the key that signs its index')
    .argument('<name>', 'a short name for the registry')
    .argument('<url>', 'the site\'s URL or folder')
    .option('--key <file|fpr>', 'the registry\'s public key file, or the fingerprint of a key in your keyring')
    .option('--trust-on-first-use', 'pin whatever key signs the current index (its fingerprint is printed)')
    .option('--allow-unsigned', 'accept an unsigned registry')
    .option('--replace', 'replace a registry of the same name (e.g. to pin a rotated key)')
    .option('--timeout <ms>', 'time allowed for each download attempt (default 30000)')
    .option('--format <format>', "claude: read a Claude Code marketplace folder and list its plugins' MCP servers (nothing is added)")
    .action(action(async (ctx, name: string, url: string, o: { key?: string; trustOnFirstUse?: boolean; allowUnsigned?: boolean; replace?: boolean; timeout?: string; format?: string }) => {
      if (o.format !== undefined) {
        if (o.format !== 'claude') throw usageError(`--format ${o.format} is not a marketplace format pm reads`, 'formats: claude');
        const { readClaudeMarketplace } = await import('../../core/claude-marketplace/read-marketplace.js');
        const r = await readClaudeMarketplace(url);
        for (const s of r.skipped) ctx.out.warn(`skipped ${s}`);
        ctx.out.result({ ...r, registry: name }, () => [
          `${r.servers.length} MCP server${r.servers.length === 1 ? '' : 's'} in the Claude Code marketplace ${r.name} (${url}); install one as a local, unsigned server plugin with:`,
          ...r.servers.map((s) => `  ${s.plugin}/${s.server}: ${s.mcpAdd}`),
        ]);
        return;
      }
      const { addRegistry } = await import('../../core/marketplace/registry-admin.js');
      const spinner = await ctx.out.spinner(`adding registry ${name}`, { delayMs: SPINNER_DELAY_MS });
      const r = await addRegistry({
        home: ctx.home, name, url, key: o.key, allowUnsigned: o.allowUnsigned, trustOnFirstUse: o.trustOnFirstUse, replace: o.replace, timeoutMs: timeoutMs(o),
        onFetch: (e) => { spinner.text = fetchText(name, e); },
      }).finally(() => spinner.stop());
      if (r.trustOnFirstUse) ctx.out.warn(`trusted on first use: pinned key ${r.fingerprints.join(', ')}; compare it with the fingerprint the operator publishes`);
      ctx.out.result(r, () => [
        `added registry ${r.name} (${r.url}): index version ${r.indexVersion}, ${r.plugins} plugins, expires ${r.expires ?? 'never'}`,
        r.fingerprints.length ? `pinned key ${r.fingerprints.join(', ')}` : 'unsigned registry: its index is not verified',
      ]);
    }));

  program
    .command('marketplace-remove')
    .description('remove a registry and its cached index')
    .argument('<name>', 'the registry')
    .action(action(async ({ out, home }, name: string) => {
      const { removeRegistry } = await import('../../core/marketplace/registry-admin.js');
      const r = await removeRegistry(home, name);
      out.result(r, () => `removed registry ${r.name}`);
    }));

  withNet(program
    .command('marketplace-list')
    .description('list the registries (name, URL, key, index version, expiry, last fetched), or with --category the plugins in one category')
    .option('--category <c>', 'list the plugins of this category instead')
    .option('--registry <name>', 'only this registry (with --category)'))
    .action(action(async (ctx, o: NetOpts & { category?: string; registry?: string }) => {
      if (o.category) {
        const { searchMarketplace } = await import('../../core/marketplace/discover.js');
        const { spinner, options } = await netOptions(ctx, o);
        const r = await searchMarketplace(ctx.home, '', { ...options, category: o.category }).finally(() => spinner.stop());
        offlineNotes(ctx, o, r.registries);
        ctx.out.result({ category: o.category, plugins: r.results }, () => r.results.length ? r.results.map((h) => `${h.name}@${h.version}  [${h.registry}]  ${h.description}`) : `no plugins in category ${o.category}`);
        return;
      }
      const { describeRegistries } = await import('../../core/marketplace/registry-admin.js');
      const regs = await describeRegistries(ctx.home);
      ctx.out.result({ registries: regs }, () => regs.length
        ? regs.flatMap((r) => [
          `${ctx.out.c.bold(r.name)}  ${r.url}`,
          `  key: ${r.keys.length ? r.keys.join(', ') : 'none (unsigned)'}`,
          `  index version ${r.indexVersion ?? '-'}, ${r.plugins ?? '-'} plugins, expires ${r.expires ?? 'never'}, last fetched ${r.lastFetched ?? 'never'}`,
        ])
        : "no registries: add one with 'pm marketplace-add <name> <url> --key <file>'");
    }));

  withNet(program
    .command('marketplace-search')
    .description('search the registries by name, tags, tools and description (exact name first)')
    .argument('[query]', 'words to look for (empty: everything)', '')
    .option('--category <c>', 'only plugins in this category')
    .option('--tag <t>', 'only plugins with this tag')
    .option('--registry <name>', 'only this registry'))
    .action(action(async (ctx, query: string, o: NetOpts & { category?: string; tag?: string; registry?: string }) => {
      const { searchMarketplace } = await import('../../core/marketplace/discover.js');
      const { spinner, options } = await netOptions(ctx, o);
      const r = await searchMarketplace(ctx.home, query, { ...options, category: o.category, tag: o.tag }).finally(() => spinner.stop());
      offlineNotes(ctx, o, r.registries);
      ctx.out.result(r, () => r.results.length
        ? r.results.map((h) => `${ctx.out.c.bold(h.name)}@${h.version}  [${h.registry}]  ${h.description}`)
        : `no plugins match "${query}"`);
    }));

  withNet(program
    .command('marketplace-info')
    .description('show a plugin\'s versions, signer, dependencies, engines, tools, permissions, rating and downloads')
    .argument('<name>', 'the plugin')
    .option('--registry <name>', 'only this registry'))
    .action(action(async (ctx, name: string, o: NetOpts & { registry?: string }) => {
      const { marketplaceInfo } = await import('../../core/marketplace/discover.js');
      const { spinner, options } = await netOptions(ctx, o);
      const i = await marketplaceInfo(ctx.home, name, options).finally(() => spinner.stop());
      const map = (m: Record<string, unknown>) => Object.keys(m).length ? Object.entries(m).map(([k, v]) => `${k} ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ') : 'none';
      ctx.out.result(i, () => [
        `${ctx.out.c.bold(i.name)}@${i.latest}  [${i.registry}]${i.alsoIn.length ? ` (also in ${i.alsoIn.join(', ')})` : ''}`,
        i.description,
        `author: ${i.author ?? '-'}   license: ${i.license ?? '-'}   homepage: ${i.homepage ?? '-'}`,
        `categories: ${i.categories.join(', ') || '-'}   tags: ${i.tags.join(', ') || '-'}`,
        `rating: ${i.rating ?? '-'}   downloads: ${i.downloads ?? '-'}`,
        `signer: ${i.signer ?? 'unsigned'}`,
        `dependencies: ${map(i.dependencies)}`,
        `engines: ${map(i.engines)}`,
        `tools: ${i.tools.join(', ') || 'none'}`,
        `permissions: ${map(i.permissions)}`,
        'versions:',
        ...i.versions.map((v) => `  ${v.version}  ${v.publishedAt.slice(0, 10)}  ${kib(v.size)}${v.deprecated ? `  deprecated: ${v.deprecated}` : ''}`),
      ]);
    }));

  withNet(program
    .command('marketplace-install')
    .description('install plugins and their dependencies from the registries, verified and all or nothing')
    .argument('<name...>', 'name, name@version or name@range')
    .option('--version <v>', 'install exactly this version (or range) of the one plugin named')
    .option('--registry <name>', 'take the plugins from this registry (others are read only for a dependency it lacks)')
    .option('--allow-unsigned', 'install packages that have no signature')
    .option('--dry-run', 'show what would be installed'))
    .action(action(async (ctx, names: string[], o: NetOpts & { version?: string; registry?: string; allowUnsigned?: boolean; dryRun?: boolean }) => {
      const { marketplaceInstall } = await import('../../core/marketplace/install.js');
      const specs = o.version === undefined ? names : withVersion(names, o.version);
      const { spinner, options } = await netOptions(ctx, {});
      const r = await marketplaceInstall({ ...options, offline: Boolean(o.offline), timeoutMs: timeoutMs(o), home: ctx.home, specs, registry: o.registry, allowUnsigned: o.allowUnsigned, dryRun: o.dryRun })
        .finally(() => spinner.stop());
      for (const res of r.installed) warnPermissions(ctx.out, res);
      for (const res of r.installed) if (res.note) ctx.out.info(`${res.name}: ${res.note}`);
      ctx.out.result(r, () => [
        ...(r.dryRun ? r.planned.map((p) => `would install ${p.name}@${p.version} from ${p.registry}${p.from ? ` (now ${p.from})` : ''}${p.requiredBy.includes('user') ? '' : ` for ${p.requiredBy.join(', ')}`}`) : []),
        ...r.installed.map((res) => {
          const p = r.planned.find((x) => x.name === res.name);
          const why = p && !p.requiredBy.includes('user') ? ` (dependency of ${p.requiredBy.join(', ')})` : '';
          return `${res.action} ${res.name}@${res.version} from ${p?.registry ?? '?'}${res.previousVersion && res.previousVersion !== res.version ? ` (was ${res.previousVersion})` : ''}${why}, signed by ${res.signer?.fingerprint ?? 'nobody (unsigned)'}${res.enabled ? '' : ', disabled'}`;
        }),
        ...r.upToDate.map((id) => `${id} is already installed`),
      ]);
    }));

  withNet(program
    .command('marketplace-check-updates')
    .description('list plugins installed from registries with their latest compatible and latest versions'))
    .action(action(async (ctx, o: NetOpts) => {
      const { checkUpdates } = await import('../../core/marketplace/updates.js');
      const { spinner, options } = await netOptions(ctx, o);
      const rows = await checkUpdates({ ...options, home: ctx.home }).finally(() => spinner.stop());
      ctx.out.result({ plugins: rows }, () => rows.length
        ? [`${'plugin'.padEnd(20)} ${'installed'.padEnd(12)} ${'compatible'.padEnd(12)} latest`, ...rows.map((c) => `${c.name.padEnd(20)} ${c.installed.padEnd(12)} ${(c.latestCompatible ?? '-').padEnd(12)} ${c.latest ?? '-'}${c.updateAvailable ? '  update available' : ''}`)]
        : 'no plugins installed from a registry');
    }));

  withNet(program
    .command('marketplace-update')
    .description('update one plugin (and any new dependency) to its newest compatible version, atomically')
    .argument('<name>', 'the plugin')
    .option('--allow-unsigned', 'accept packages that have no signature'))
    .action(action(async (ctx, name: string, o: NetOpts & { allowUnsigned?: boolean }) => {
      const { updateMarketplacePlugin } = await import('../../core/marketplace/updates.js');
      const { spinner, options } = await netOptions(ctx, o);
      const r = await updateMarketplacePlugin(name, { ...options, home: ctx.home, allowUnsigned: o.allowUnsigned }).finally(() => spinner.stop());
      ctx.out.result(r, () => r.to
        ? [`updated ${r.name} ${r.from} -> ${r.to}`, ...r.installed.filter((x) => x.name !== r.name).map((x) => `  with ${x.name}@${x.version}`)]
        : `${r.name} ${r.from} is up to date`);
    }));

  withNet(program
    .command('marketplace-update-all')
    .description('update every plugin installed from a registry; each update is atomic and one failure does not stop the rest')
    .option('--dry-run', 'only show what would be updated')
    .option('--allow-unsigned', 'accept packages that have no signature'))
    .action(action(async (ctx, o: NetOpts & { dryRun?: boolean; allowUnsigned?: boolean }) => {
      const { updateAll } = await import('../../core/marketplace/updates.js');
      const { spinner, options } = await netOptions(ctx, o);
      const r = await updateAll({ ...options, home: ctx.home, dryRun: o.dryRun, allowUnsigned: o.allowUnsigned }).finally(() => spinner.stop());
      ctx.out.result(r, () => r.dryRun
        ? (r.candidates.length ? r.candidates.map((c) => `would update ${c.name} ${c.installed} -> ${c.latestCompatible}`) : 'everything is up to date')
        : [
          ...r.updated.map((u) => `updated ${u.name} ${u.from} -> ${u.to}${u.via ? ` (with ${u.via})` : ''}`),
          ...r.failed.map((f) => `failed ${f.name}: ${f.message}${f.hint ? ` (hint: ${f.hint})` : ''}`),
          `Updated ${r.updated.length} of ${r.candidates.length}`,
        ]);
      return r.failed.length ? 1 : 0;
    }));
}

/** Applies `--version v` to the single plugin named, as `name@v`. */
function withVersion(names: string[], version: string): string[] {
  if (names.length !== 1 || names[0]!.includes('@')) {
    throw usageError('--version takes exactly one plugin name without @', 'write name@version for each plugin instead, e.g. pm marketplace-install notes@1.2.0 storage@^2');
  }
  return [`${names[0]}@${version}`];
}
