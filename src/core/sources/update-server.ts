import { PmError } from '../errors.js';
import { readPluginManifest } from '../manifest/read.js';
import { pluginDir, readState, requireInstalled } from '../store/state.js';
import { describeServerUpdate } from './describe-update.js';
import { installNpmServer, type NpmServerOptions, type NpmServerResult } from './install-npm.js';
import { installPypiServer, type PypiServerOptions, type PypiServerResult } from './install-pypi.js';
import { parseInstallSource } from './parse-source.js';
import type { ServerPluginDraft } from './stage-server.js';

/** plugin-update found nothing newer within the recorded range. */
export interface UpToDate {
  name: string;
  version: string;
  spec: string;
  upToDate: true;
}

/** Thrown out of the staging step to stop before consent when the resolved version is the installed one. */
class SameVersion extends Error {}

/**
 * `pm plugin-update <name>` of a plugin installed from npm: or pypi: re-resolves the recorded
 * spec (its range), keeps the installed command-line flags (--env, --arg, --allow-*, --bin), shows
 * the version, command, permission and tool changes with the consent, then swaps it in.
 */
export async function updateServerSource(name: string, opts: Omit<NpmServerOptions & PypiServerOptions, 'name' | 'update' | 'adjust' | 'describeChanges'>): Promise<NpmServerResult | PypiServerResult | UpToDate> {
  const state = await readState(opts.home);
  const installed = requireInstalled(state, name);
  const source = installed.source as { type: string; spec?: unknown; bin?: unknown; script?: unknown; allowSdist?: unknown };
  const parsed = typeof source.spec === 'string' && (source.type === 'npm' || source.type === 'pypi') ? parseInstallSource(source.spec) : undefined;
  if (!parsed || parsed.type === 'path' || parsed.type === 'registry') {
    throw new PmError('SOURCE_NOT_UPDATABLE', `${name} was installed from ${source.type}, not from npm: or pypi:, so there is nothing to re-resolve`, {
      hint: `give the new version: pm plugin-update ${name} <dir|tgz|url>`, data: { plugin: name, source: source.type },
    });
  }
  const before = (await readPluginManifest(pluginDir(opts.home, name, state), { check: 'basic' })).manifest;
  const old = before.server;
  const spec = source.spec as string;
  // The user's flags live in the installed manifest: the source's own arguments come first
  // (as many as the source writes, e.g. the bin's path), the user's --arg values follow.
  const adjust = (draft: ServerPluginDraft): ServerPluginDraft => {
    if (draft.facts.version === before.version && !opts.force) throw new SameVersion();
    const own = draft.server.args ?? [];
    return {
      ...draft,
      server: { ...draft.server, args: [...own, ...(old?.args ?? []).slice(own.length)], ...(old?.env ? { env: old.env } : {}), ...(old?.cwd ? { cwd: old.cwd } : {}) },
      ...(before.permissions ? { permissions: before.permissions } : {}),
    };
  };
  const common = {
    ...opts, name, update: true,
    bin: opts.bin ?? [source.bin, source.script].find((b): b is string => typeof b === 'string'),
    allowSdist: opts.allowSdist ?? source.allowSdist === true,
    describeChanges: (next: Parameters<typeof describeServerUpdate>[1]) => describeServerUpdate(before, next, opts.home),
  };
  const run = parsed.type === 'npm' ? installNpmServer(parsed.spec, { ...common, adjust }) : installPypiServer(parsed.package, parsed.version, { ...common, adjust });
  return run.catch((err: unknown) => {
    if (err instanceof SameVersion) return { name, version: before.version, spec, upToDate: true as const };
    throw err;
  });
}
