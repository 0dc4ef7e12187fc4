import { PmError } from '../errors.js';
import { appendAudit } from './audit.js';
import { withStoreLock } from './lock.js';
import { readPluginManifest } from '../manifest/read.js';
import type { Manifest } from '../manifest/types.js';
import { pluginDir, readState, requireInstalled, writeState, type StoreState } from './state.js';
import { recoverStore } from './transaction.js';

/** A plugin's configuration: explicit values, and the values with schema defaults applied. */
export interface PluginConfig {
  name: string;
  /** Values with defaults applied: what the plugin sees as ctx.config. */
  values: Record<string, unknown>;
  /** Only the values set with plugin-config. */
  set: Record<string, unknown>;
  /** The manifest's config schema, or null when it declares none. */
  schema: Record<string, unknown> | null;
}

type Json = Record<string, unknown>;

async function loadAjv() {
  const { createAjv } = await import('../manifest/ajv.js');
  return createAjv({ useDefaults: true });
}

/** Validates `set` against the schema and returns it with defaults applied; throws CONFIG_INVALID (exit 3). */
export async function applyConfigSchema(name: string, schema: Json | null, set: Json): Promise<Json> {
  const values = structuredClone(set);
  if (!schema) return values;
  const ajv = await loadAjv();
  let validate;
  try {
    validate = ajv.compile(schema);
  } catch (err) {
    throw new PmError('CONFIG_SCHEMA_INVALID', `${name}'s config schema cannot be compiled: ${(err as Error).message}`, {
      hint: 'ask the plugin author to fix "config" in plugin.json (pm plugin-validate reports it)', data: { plugin: name },
    });
  }
  if (!validate(values)) {
    // ajv's /a/b pointers read as the keys users type: 'a.b'.
    const errors = (validate.errors ?? []).map((e) => `${e.instancePath ? `'${e.instancePath.slice(1).replaceAll('/', '.')}'` : 'the configuration'} ${e.message ?? 'is invalid'}`);
    throw new PmError('CONFIG_INVALID', `invalid configuration for ${name}: ${errors.join('; ')}`, {
      hint: `see the accepted keys with 'pm plugin-config ${name} --json'`, data: { plugin: name, errors },
    });
  }
  return values;
}

async function manifestOf(home: string, state: StoreState, name: string): Promise<Manifest> {
  return (await readPluginManifest(pluginDir(home, name, state))).manifest;
}

function schemaOf(m: Manifest): Json | null {
  return m.config && typeof m.config === 'object' ? (m.config as Json) : null;
}

/** Reads a plugin's configuration with defaults applied. */
export async function getConfig(name: string, opts: { home: string }): Promise<PluginConfig> {
  const state = await readState(opts.home);
  const rec = requireInstalled(state, name);
  const schema = schemaOf(await manifestOf(opts.home, state, name));
  const set = rec.config ?? {};
  return { name, values: await applyConfigSchema(name, schema, set), set, schema };
}

/** Turns a command-line value into JSON: numbers, booleans, arrays and objects parse; the rest stays text. */
export function parseConfigValue(raw: string, propertySchema?: Json): unknown {
  if (propertySchema?.type === 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

async function changeConfig(name: string, opts: { home: string; lockTimeoutMs?: number }, change: (set: Json, schema: Json | null) => Json, audit: Json): Promise<PluginConfig> {
  return withStoreLock(opts.home, async () => {
    await recoverStore(opts.home);
    const state = await readState(opts.home);
    const rec = requireInstalled(state, name);
    const schema = schemaOf(await manifestOf(opts.home, state, name));
    const set = change(structuredClone(rec.config ?? {}), schema);
    const values = await applyConfigSchema(name, schema, set);
    await writeState(opts.home, { ...state, plugins: { ...state.plugins, [name]: { ...rec, config: set } } });
    await appendAudit(opts.home, { action: 'config', plugin: name, version: rec.version, integrity: rec.integrity, signer: rec.signer?.fingerprint ?? 'unsigned', ...audit });
    return { name, values, set, schema };
  }, { timeoutMs: opts.lockTimeoutMs });
}

function declaredKey(name: string, schema: Json | null, key: string): Json | undefined {
  // These would reach Object.prototype instead of naming a value.
  if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
    throw new PmError('CONFIG_UNKNOWN_KEY', `"${key}" cannot be a configuration key`, { hint: `see the keys with 'pm plugin-config ${name} --json'`, data: { plugin: name, key } });
  }
  if (!schema) {
    throw new PmError('CONFIG_NONE', `${name} declares no configuration`, { hint: 'its plugin.json has no "config" schema, so there is nothing to set' });
  }
  const props = schema.properties as Record<string, Json> | undefined;
  if (props && !Object.hasOwn(props, key) && schema.additionalProperties !== true) {
    throw new PmError('CONFIG_UNKNOWN_KEY', `${name} has no configuration key "${key}"`, {
      hint: `known keys: ${Object.keys(props).sort().join(', ') || '(none)'}`, data: { plugin: name, key },
    });
  }
  return props?.[key];
}

/** Sets one key (validated against the manifest's config schema) and returns the new configuration. */
export async function setConfig(name: string, key: string, raw: string, opts: { home: string; lockTimeoutMs?: number }): Promise<PluginConfig> {
  return changeConfig(name, opts, (set, schema) => {
    set[key] = parseConfigValue(raw, declaredKey(name, schema, key));
    return set;
  }, { key, change: 'set' });
}

/** Removes one key so its default applies again. */
export async function unsetConfig(name: string, key: string, opts: { home: string; lockTimeoutMs?: number }): Promise<PluginConfig> {
  return changeConfig(name, opts, (set) => {
    if (!Object.hasOwn(set, key)) {
      throw new PmError('CONFIG_NOT_SET', `${name} has no value set for "${key}"`, { hint: `see what is set with 'pm plugin-config ${name}'`, data: { plugin: name, key } });
    }
    delete set[key];
    return set;
  }, { key, change: 'unset' });
}
