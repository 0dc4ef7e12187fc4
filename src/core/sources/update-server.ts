import { PmError } from '../errors.js';
import { readPluginManifest } from '../manifest/read.js';
import { pluginDir, readState, requireInstalled } from '../store/state.js';
import { describeServerUpdate } from './describe-update.js';
import { installNpmServer, type NpmServerOptions, type NpmServerResult } from './install-npm.js';

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
 * `pm plugin-update <name>` of a plugin installed from npm: re-resolves the recorded spec
 * (its range), keeps the installed command-line flags (--env, --arg, --allow-*, --bin), shows
 * the version, command, permission and tool changes with the consent, then swaps it in.
 */
export async function updateServerSource(name: string, opts: Omit<NpmServerOptions, 'name' | 'update' | 'adjust' | 'describeChanges'>): Promise<NpmServerResult | UpToDate> {
  const state = await readState(opts.home);
  const installed = requireInstalled(state, name);
  const source = installed.source as { type: string; spec?: unknown; bin?: unknown };
  if (source.type === 'pypi') {
    throw new PmError('SOURCE_NOT_SUPPORTED', `${name} came from PyPI, and updating PyPI plugins is not available in this build of pm`, { hint: 'install the new version as a folder: pm plugin-update <name> <dir>', data: { plugin: name } });
  }
  if (source.type !== 'npm' || typeof source.spec !== 'string' || !source.spec.startsWith('npm:')) {
    throw new PmError('SOURCE_NOT_UPDATABLE', `${name} was installed from ${source.type}, not from npm: or pypi:, so there is nothing to re-resolve`, {
      hint: `give the new version: pm plugin-update ${name} <dir|tgz|url>`, data: { plugin: name, source: source.type },
    });
  }
  const before = (await readPluginManifest(pluginDir(opts.home, name, state), { check: 'basic' })).manifest;
  const old = before.server;
  const spec = source.spec;
  return installNpmServer(spec.slice('npm:'.length), {
    ...opts, name, update: true, bin: opts.bin ?? (typeof source.bin === 'string' ? source.bin : undefined),
    // The user's flags live in the installed manifest: the bin's path is the first argument, theirs follow.
    adjust: (draft, pkg) => {
      if (pkg.version === before.version && !opts.force) throw new SameVersion();
      return {
      ...draft,
      server: { ...draft.server, args: [...(draft.server.args ?? []).slice(0, 1), ...(old?.args ?? []).slice(1)], ...(old?.env ? { env: old.env } : {}), ...(old?.cwd ? { cwd: old.cwd } : {}) },
      ...(before.permissions ? { permissions: before.permissions } : {}),
      };
    },
    describeChanges: (next) => describeServerUpdate(before, next, opts.home),
  }).catch((err: unknown) => {
    if (err instanceof SameVersion) return { name, version: before.version, spec, upToDate: true as const };
    throw err;
  });
}
