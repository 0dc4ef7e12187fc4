/**
 * The one path by which every server source (npm:, pypi:, mcp-add) becomes an installed
 * plugin: write plugin.json into a fetched folder, show the permissions it will get, ask,
 * then hand the folder to the store's folder install (lock, staging, atomic rename, audit, event).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PmError } from '../errors.js';
import type { JsonSchemaObject, Manifest, Permissions, PluginSource, ServerSpec } from '../manifest/types.js';
import { consentWarnings, describePolicy, type PermissionLine } from '../permissions/describe.js';
import { resolvePolicy } from '../permissions/policy.js';
import { installPlugin, updatePlugin, type InstallOptions, type InstallResult } from '../store/install.js';
import { storePaths } from '../store/paths.js';
import { readState } from '../store/state.js';
import { serverPluginName } from './plugin-name.js';
import { parseEnvFlags, permissionsFromFlags, type ServerFlags } from './server-flags.js';

/** An env value that is one substitution (`${secret.X}`, `${config.X}`), safe to show. */
const REFERENCE = /^\$\{[A-Za-z0-9_.-]+\}$/;

/** What the fetched package says about itself (npm's package.json, a wheel's metadata, mcp-add's flags). */
export interface ServerPackageFacts {
  /** The package name the plugin name is derived from when --name is not given. */
  packageName: string;
  version: string;
  description?: string;
  license?: string;
  author?: string;
}

/** What a fetched server folder is to become. */
export interface ServerPluginDraft {
  server: ServerSpec;
  source: PluginSource;
  facts: ServerPackageFacts;
  /** Permissions the source itself needs (e.g. nothing); the --allow-* flags are added to them. */
  permissions?: Permissions;
  /** The plugin's config schema (an .mcpb's user_config). */
  config?: JsonSchemaObject;
}

/** What the user is asked to accept before a server plugin is installed. */
export interface ServerConsent {
  plugin: string;
  version: string;
  source: PluginSource;
  /** The command and its arguments as plugin.json gives them (substitutions not yet applied). */
  command: string[];
  /** Environment set for the server: KEY=${secret.X}-style references as written, literal values as `(hidden)`. */
  env: string[];
  permissions: PermissionLine[];
  /** Full-trust grants and refused paths (describe.ts's consent warnings). */
  warnings: string[];
  /** For an update: what changes (version, permissions, tools), in words. */
  changes?: string[];
}

export interface StageServerOptions extends ServerFlags, Pick<InstallOptions, 'home' | 'force' | 'allowDowngrade' | 'enable' | 'lockTimeoutMs' | 'inspectEntry'> {
  /** --name: the plugin name instead of the one derived from the package name. */
  name?: string;
  /** --yes: accept the permissions without asking. */
  yes?: boolean;
  /** Told what will be accepted before any decision (the CLI prints it, also under --yes and before a refusal). */
  onConsent?: (consent: ServerConsent) => void;
  /** Asks the user to accept (the CLI, on a terminal); without it and without `yes` the install is refused. */
  confirm?: (consent: ServerConsent) => Promise<boolean>;
  /** Refuse with SERVER_NAME_TAKEN when a plugin of that name is installed (mcp-add, new installs). */
  refuseTaken?: boolean;
  /** Replace the installed plugin of that name (plugin-update); refused when it is not installed. */
  update?: boolean;
  /** For an update: what changes from the installed plugin to this manifest, shown with the consent. */
  describeChanges?: (next: Manifest) => Promise<string[]> | string[];
}

/** An install result plus what was consented to. */
export interface ServerInstallResult extends InstallResult {
  consent: ServerConsent;
}

/** The manifest a draft becomes under the user's flags (name, env, appended args, permissions). */
export function serverManifest(draft: ServerPluginDraft, opts: StageServerOptions): Manifest {
  const name = serverPluginName(draft.facts.packageName, opts.name);
  const env = { ...(draft.server.env ?? {}), ...parseEnvFlags(opts.env) };
  const args = [...(draft.server.args ?? []), ...(opts.args ?? [])];
  const flags = permissionsFromFlags(opts);
  const base = draft.permissions ?? {};
  const read = [...(base.fs?.read ?? []), ...(flags.fs?.read ?? [])];
  const write = [...(base.fs?.write ?? []), ...(flags.fs?.write ?? [])];
  const network = [...(base.network ?? []), ...(flags.network ?? [])];
  const permissions: Permissions = {
    ...base,
    ...(read.length || write.length ? { fs: { ...(read.length ? { read } : {}), ...(write.length ? { write } : {}) } } : {}),
    ...(network.length ? { network } : {}),
  };
  const f = draft.facts;
  return {
    name,
    version: f.version,
    description: f.description?.trim() || `${draft.source.type} package ${f.packageName}`,
    ...(f.author ? { author: f.author } : {}),
    ...(f.license ? { license: f.license } : {}),
    server: {
      command: draft.server.command,
      ...(args.length ? { args } : {}),
      ...(Object.keys(env).length ? { env } : {}),
      ...(draft.server.cwd ? { cwd: draft.server.cwd } : {}),
    },
    source: draft.source,
    ...(Object.keys(permissions).length ? { permissions } : {}),
    ...(draft.config ? { config: draft.config } : {}),
  };
}

/** The permissions and command the user is asked to accept, from the one policy module. */
export function serverConsent(m: Manifest, home: string, changes?: string[]): ServerConsent {
  const p = storePaths(home);
  const policy = resolvePolicy(m, { pluginDir: join(p.plugins, m.name), dataDir: join(p.data, m.name), pmHome: home });
  return {
    plugin: m.name,
    version: m.version,
    source: m.source!,
    command: [m.server!.command, ...(m.server!.args ?? [])],
    // A literal value may be a token typed on the command line: shown as plugin-info shows it, hidden.
    env: Object.entries(m.server!.env ?? {}).map(([k, v]) => `${k}=${REFERENCE.test(v) ? v : '(hidden)'}`),
    permissions: describePolicy(policy),
    warnings: consentWarnings(policy),
    ...(changes?.length ? { changes } : {}),
  };
}

/** A fresh folder outside PM_HOME to fetch a package into (a refusal then leaves the store untouched). */
export async function makeStagingFolder(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'pm-server-'));
}

/** Runs `fn` with a fresh staging folder and removes the folder afterwards, whatever happens. */
export async function withStagingFolder<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await makeStagingFolder();
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Writes plugin.json for a fetched server folder, asks for consent (or takes --yes), then
 * installs the folder through the store's folder install; nothing is written to PM_HOME before consent.
 */
export async function installServerFolder(folder: string, draft: ServerPluginDraft, opts: StageServerOptions): Promise<ServerInstallResult> {
  const manifest = serverManifest(draft, opts);
  const state = await readState(opts.home);
  if (opts.refuseTaken && state.plugins[manifest.name]) {
    throw new PmError('SERVER_NAME_TAKEN', `a plugin named "${manifest.name}" is already installed`, {
      hint: draft.source.type === 'local'
        ? `choose another name, or remove it first with 'pm plugin-uninstall ${manifest.name}'`
        : `to update it: pm plugin-update ${manifest.name}; to install this one beside it: --name <other>`,
      data: { plugin: manifest.name },
    });
  }
  await writeFile(join(folder, 'plugin.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const consent = serverConsent(manifest, opts.home, opts.describeChanges ? await opts.describeChanges(manifest) : undefined);
  opts.onConsent?.(consent);
  if (!opts.yes) {
    if (!opts.confirm) {
      throw new PmError('CONSENT_REQUIRED', `installing ${manifest.name} needs its permissions accepted, and there is no terminal to ask on`, {
        hint: 'read the permissions shown, then run again with --yes', data: { plugin: manifest.name, consent },
      });
    }
    if (!(await opts.confirm(consent))) {
      throw new PmError('CANCELLED', `${manifest.name} was not installed: the permissions were not accepted`, { hint: 'nothing changed; run it again to reconsider', data: { plugin: manifest.name } });
    }
  }
  const common = { home: opts.home, force: opts.force, allowDowngrade: opts.allowDowngrade, lockTimeoutMs: opts.lockTimeoutMs, inspectEntry: opts.inspectEntry, recordAs: draft.source };
  const result = opts.update
    ? await updatePlugin(manifest.name, folder, common)
    : await installPlugin(folder, { ...common, enable: opts.enable, expect: { name: manifest.name } });
  return { ...result, consent };
}
