import { readFile } from 'node:fs/promises';
import { PmError } from '../errors.js';
import { writeJsonAtomic } from '../fs/atomic-write.js';
import { compileGlob } from '../glob.js';
import { appendAuditRecord } from './audit.js';
import { withStoreLock } from './lock.js';
import { PLUGIN_NAME, storePaths } from './paths.js';

/** Profile names follow plugin names: they are typed on command lines and in client configs. */
export const PROFILE_NAME = /^[a-z][a-z0-9-]{0,49}$/;

/**
 * A named set of plugins and tools for `pm serve --mcp --profile NAME`. A tool is served when its
 * plugin is in `plugins` (or `plugins` is absent) and its `<plugin>.<tool>` matches one of `tools`
 * (or `tools` is absent).
 */
export interface Profile {
  name: string;
  /** Plugin names; absent: every plugin with a tool matching `tools`. */
  plugins?: string[];
  /** Globs over `<plugin>.<tool>` (`*`, `?`); absent: every tool of `plugins`. */
  tools?: string[];
  createdAt: string;
  updatedAt: string;
}

interface ProfilesFile {
  version: 1;
  profiles: Record<string, Omit<Profile, 'name'>>;
}

type StoreOpts = { home: string; lockTimeoutMs?: number };

function checkName(name: string): void {
  if (!PROFILE_NAME.test(name)) {
    throw new PmError('PROFILE_NAME_INVALID', `'${name}' is not a profile name`, {
      hint: 'use lowercase letters, digits and - (up to 50), starting with a letter, e.g. coding', data: { name },
    });
  }
}

function invalid(message: string, hint: string): PmError {
  return new PmError('PROFILE_INVALID', message, { hint });
}

/** Checks and normalizes what `profile-set` was given: at least one list, valid names, globs that can match. */
export function checkProfileSpec(spec: { plugins?: string[]; tools?: string[] }): { plugins?: string[]; tools?: string[] } {
  const plugins = spec.plugins?.map((p) => p.trim()).filter(Boolean);
  const tools = spec.tools?.map((t) => t.trim()).filter(Boolean);
  if (!plugins?.length && !tools?.length) {
    throw invalid('a profile needs --plugins, --tools or both', "e.g. pm profile-set coding --plugins notes,git --tools 'notes.*,git.status'");
  }
  for (const p of plugins ?? []) {
    if (!PLUGIN_NAME.test(p)) throw invalid(`'${p}' in --plugins is not a plugin name`, 'give installed plugin names separated by commas, e.g. --plugins notes,git');
  }
  for (const t of tools ?? []) {
    // Tools are named <plugin>.<tool>: a pattern with neither a dot nor a * can match none.
    if (!t.includes('.') && !t.includes('*')) throw invalid(`'${t}' in --tools matches no tool: tools are named <plugin>.<tool>`, `use '${t}.*' for all of a plugin's tools, or '*.${t}' for a tool of any plugin`);
  }
  return { ...(plugins?.length ? { plugins: [...new Set(plugins)] } : {}), ...(tools?.length ? { tools: [...new Set(tools)] } : {}) };
}

/** A test of `<plugin>.<tool>` names for a profile, and of plugin names (for resources and prompts). */
export interface ProfileMatcher {
  tool(plugin: string, tool: string): boolean;
  /** Whether the plugin is in the profile, given the names of its tools (needed when the profile lists tools only). */
  plugin(plugin: string, toolNames: readonly string[]): boolean;
}

/** Compiles a profile's lists into tests (shared by `pm serve --profile` and `pm profile-show`). */
export function profileMatcher(p: Pick<Profile, 'plugins' | 'tools'>): ProfileMatcher {
  const plugins = p.plugins ? new Set(p.plugins) : undefined;
  const globs = p.tools?.map(compileGlob);
  const tool = (plugin: string, name: string) => (!plugins || plugins.has(plugin)) && (!globs || globs.some((g) => g(`${plugin}.${name}`)));
  return {
    tool,
    plugin: (plugin, toolNames) => (plugins ? plugins.has(plugin) : toolNames.some((t) => tool(plugin, t))),
  };
}

async function readProfilesFile(home: string): Promise<ProfilesFile> {
  const path = storePaths(home).profiles;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, profiles: Object.create(null) as ProfilesFile['profiles'] };
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const profiles = (parsed as ProfilesFile | undefined)?.profiles;
  const isList = (v: unknown) => v === undefined || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
  const ok = profiles && typeof profiles === 'object' && !Array.isArray(profiles)
    && Object.entries(profiles).every(([k, v]) => PROFILE_NAME.test(k) && v && typeof v === 'object' && isList(v.plugins) && isList(v.tools));
  if (!ok) throw new PmError('PROFILES_FILE_CORRUPT', `${path} is not a profiles file pm wrote`, { hint: 'fix it by hand or remove it and set the profiles again with pm profile-set', data: { path } });
  return { version: 1, profiles: Object.assign(Object.create(null) as ProfilesFile['profiles'], profiles) };
}

function notFound(name: string, known: string[]): PmError {
  return new PmError('PROFILE_NOT_FOUND', `no profile named ${name}`, {
    hint: known.length ? `known profiles: ${known.join(', ')}; see them with 'pm profile-list'` : `make one with 'pm profile-set ${name} --plugins <a,b>'`,
    data: { name, known },
  });
}

/** Creates or replaces a profile under the store lock. */
export async function setProfile(name: string, spec: { plugins?: string[]; tools?: string[] }, opts: StoreOpts): Promise<Profile & { replaced: boolean }> {
  checkName(name);
  const lists = checkProfileSpec(spec);
  return withStoreLock(opts.home, async () => {
    const file = await readProfilesFile(opts.home);
    const now = new Date().toISOString();
    const old = file.profiles[name];
    file.profiles[name] = { ...lists, createdAt: old?.createdAt ?? now, updatedAt: now };
    await writeJsonAtomic(storePaths(opts.home).profiles, file);
    await appendAuditRecord(opts.home, { action: 'profile-set', profile: name, ...lists });
    return { name, ...file.profiles[name]!, replaced: Boolean(old) };
  }, { timeoutMs: opts.lockTimeoutMs });
}

/** Removes a profile; PROFILE_NOT_FOUND when there is none of that name. */
export async function removeProfile(name: string, opts: StoreOpts): Promise<Profile> {
  checkName(name);
  return withStoreLock(opts.home, async () => {
    const file = await readProfilesFile(opts.home);
    const old = file.profiles[name];
    if (!old) throw notFound(name, Object.keys(file.profiles).sort());
    delete file.profiles[name];
    await writeJsonAtomic(storePaths(opts.home).profiles, file);
    await appendAuditRecord(opts.home, { action: 'profile-remove', profile: name });
    return { name, ...old };
  }, { timeoutMs: opts.lockTimeoutMs });
}

/** Every profile, sorted by name. */
export async function listProfiles(opts: { home: string }): Promise<Profile[]> {
  const file = await readProfilesFile(opts.home);
  return Object.keys(file.profiles).sort().map((name) => ({ name, ...file.profiles[name]! }));
}

/** One profile; PROFILE_NOT_FOUND (a usage error, exit 2) when there is none of that name. */
export async function getProfile(name: string, opts: { home: string }): Promise<Profile> {
  checkName(name);
  const file = await readProfilesFile(opts.home);
  const p = Object.hasOwn(file.profiles, name) ? file.profiles[name] : undefined;
  if (!p) throw notFound(name, Object.keys(file.profiles).sort());
  return { name, ...p };
}
