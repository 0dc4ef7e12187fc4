/**
 * The pinned tool list of each server plugin (DESIGN §2 "Pinning", §4 `pins/<name>.json`): what
 * the server reported on its first start (or the manifest's contributes.tools), with a hash, so a
 * later start that reports other tools is noticed and not served until the user accepts it.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { PmError, isPmError } from '../errors.js';
import { writeJsonAtomic } from '../fs/atomic-write.js';
import { readRegularFile } from '../fs/read-regular-file.js';
import { parseUntrustedJson } from '../json/parse-untrusted.js';
import { PLUGIN_NAME } from './paths.js';
import type { ToolShape } from '../tool-shape.js';

/** The fields of a tool that are pinned (and hashed); anything else a server sends is not kept. */
export type PinnedTool = ToolShape;

/** A tool list the server reported that differs from the pin, waiting for plugin-tools-accept. */
export interface ChangedTools {
  detectedAt: string;
  hash: string;
  tools: PinnedTool[];
}

/** `pins/<name>.json` (version 1). */
export interface ToolPin {
  version: 1;
  plugin: string;
  pluginVersion: string;
  pinnedAt: string;
  hash: string;
  tools: PinnedTool[];
  changed?: ChangedTools;
  /** The server's other lists at its last start (not pinned, not hashed): served before it starts again. */
  seen?: SeenLists;
}

/** Resources, resource templates and prompts as a server last reported them. */
export interface SeenLists {
  recordedAt: string;
  resources: Record<string, unknown>[];
  resourceTemplates: Record<string, unknown>[];
  prompts: Record<string, unknown>[];
}

/** Anything with a name: a server's Tool, a manifest's ToolContribution, a PinnedTool. */
export type ToolLike = { readonly name: string; readonly title?: string; readonly description?: string; readonly inputSchema?: object; readonly outputSchema?: object; readonly annotations?: object };

/** What differs between two tool lists, by name. */
export interface ToolsDiff {
  added: string[];
  removed: string[];
  modified: string[];
}

/** A pin file is small; this bounds what pm reads from PM_HOME/pins. */
export const MAX_PIN_BYTES = 8 * 1024 * 1024;
const PINNED_FIELDS = ['name', 'title', 'description', 'inputSchema', 'outputSchema', 'annotations'] as const;

/** PM_HOME/pins/<name>.json */
export function pinPath(home: string, plugin: string): string {
  if (!PLUGIN_NAME.test(plugin)) throw new PmError('USAGE', `not a plugin name: ${JSON.stringify(plugin)}`);
  return join(home, 'pins', `${plugin}.json`);
}

/** The pinned fields of one tool (a server's Tool or a manifest's contribution), nothing else. */
export function pinnedTool(tool: ToolLike): PinnedTool {
  const out: Record<string, unknown> = {};
  for (const k of PINNED_FIELDS) if ((tool as Record<string, unknown>)[k] !== undefined) out[k] = (tool as Record<string, unknown>)[k];
  return out as unknown as PinnedTool;
}

/** JSON with object keys sorted at every level, so equal content always gives equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The tools' pinned fields, sorted by name (a server may list them in any order). */
export function normalizeTools(tools: readonly ToolLike[]): PinnedTool[] {
  return tools.map(pinnedTool).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** `sha256-<base64>` over the canonical JSON of the tools' pinned fields, sorted by name. */
export function hashTools(tools: readonly ToolLike[]): string {
  return `sha256-${createHash('sha256').update(canonicalJson(normalizeTools(tools))).digest('base64')}`;
}

/** Which tool names were added, removed, or kept with other pinned fields, from `before` to `after`. */
export function diffTools(before: readonly PinnedTool[], after: readonly PinnedTool[]): ToolsDiff {
  const a = new Map(before.map((t) => [t.name, canonicalJson(pinnedTool(t))]));
  const b = new Map(after.map((t) => [t.name, canonicalJson(pinnedTool(t))]));
  return {
    added: [...b.keys()].filter((n) => !a.has(n)).sort(),
    removed: [...a.keys()].filter((n) => !b.has(n)).sort(),
    modified: [...b.keys()].filter((n) => a.has(n) && a.get(n) !== b.get(n)).sort(),
  };
}

/** A new pin of the given tools. */
export function makePin(plugin: string, pluginVersion: string, tools: readonly ToolLike[], now = new Date()): ToolPin {
  return { version: 1, plugin, pluginVersion, pinnedAt: now.toISOString(), hash: hashTools(tools), tools: normalizeTools(tools) };
}

/**
 * The pin after a start that reported `tools`: unchanged when they hash to the pin (a recorded
 * change is dropped), else with `changed` set (its detectedAt kept when the same change is seen again).
 */
export function withReported(pin: ToolPin, tools: readonly ToolLike[], now = new Date()): ToolPin {
  const hash = hashTools(tools);
  if (hash === pin.hash) {
    const { changed: _dropped, ...rest } = pin;
    return rest;
  }
  if (pin.changed?.hash === hash) return pin;
  return { ...pin, changed: { detectedAt: now.toISOString(), hash, tools: normalizeTools(tools) } };
}

/** The pin with its recorded change adopted: the changed tools become the pinned ones. */
export function acceptChanged(pin: ToolPin, pluginVersion: string, now = new Date()): ToolPin {
  if (!pin.changed) return pin;
  return { version: 1, plugin: pin.plugin, pluginVersion, pinnedAt: now.toISOString(), hash: pin.changed.hash, tools: pin.changed.tools, ...(pin.seen ? { seen: pin.seen } : {}) };
}

function corrupt(file: string, why: string): PmError {
  return new PmError('PIN_CORRUPT', `the pin file ${file} ${why}`, {
    hint: 'move the file aside; the next start of the server records its tools again', data: { file },
  });
}

function isToolList(v: unknown): v is PinnedTool[] {
  return Array.isArray(v) && v.every((t) => t && typeof t === 'object' && typeof (t as { name?: unknown }).name === 'string');
}

/** Checks a parsed pin file's shape and that its hash matches its tools (a hand-edited pin is refused). */
export function checkPin(value: unknown, file: string, plugin: string): ToolPin {
  const o = value as Partial<ToolPin> | null;
  if (!o || typeof o !== 'object' || Array.isArray(o)) throw corrupt(file, 'is not a JSON object');
  if (o.version !== 1) throw corrupt(file, `has version ${JSON.stringify(o.version)}; this pm reads version 1`);
  if (o.plugin !== plugin) throw corrupt(file, `names the plugin ${JSON.stringify(o.plugin)}, not ${plugin}`);
  if (typeof o.pinnedAt !== 'string' || typeof o.hash !== 'string' || typeof o.pluginVersion !== 'string' || !isToolList(o.tools)) throw corrupt(file, 'lacks pinnedAt, pluginVersion, hash or tools');
  if (hashTools(o.tools) !== o.hash) throw corrupt(file, 'holds tools that do not match its hash');
  if (o.changed !== undefined) {
    const c = o.changed;
    if (!c || typeof c.hash !== 'string' || typeof c.detectedAt !== 'string' || !isToolList(c.tools) || hashTools(c.tools) !== c.hash) throw corrupt(file, 'holds a "changed" record that does not match its hash');
  }
  if (o.seen !== undefined) {
    const v = o.seen as Partial<SeenLists> | null;
    const objects = (a: unknown) => Array.isArray(a) && a.every((x) => x && typeof x === 'object' && !Array.isArray(x));
    if (!v || typeof v.recordedAt !== 'string' || !objects(v.resources) || !objects(v.resourceTemplates) || !objects(v.prompts)) throw corrupt(file, 'holds a "seen" record that is not lists of objects');
  }
  return o as ToolPin;
}

/** Reads PM_HOME/pins/<plugin>.json; undefined when there is none. Throws PIN_CORRUPT for a file that is not a valid pin. */
export async function readPin(home: string, plugin: string): Promise<ToolPin | undefined> {
  const file = pinPath(home, plugin);
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(file, { what: 'the pin file', maxBytes: MAX_PIN_BYTES });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if (isPmError(err)) throw corrupt(file, `cannot be read: ${err.message}`);
    throw err;
  }
  let value: unknown;
  try {
    value = parseUntrustedJson(bytes, { what: file, maxBytes: MAX_PIN_BYTES });
  } catch (err) {
    throw corrupt(file, `is not valid JSON: ${(err as Error).message}`);
  }
  return checkPin(value, file, plugin);
}

/** Writes PM_HOME/pins/<plugin>.json atomically (temp + fsync + rename). */
export async function writePin(home: string, pin: ToolPin): Promise<void> {
  await writeJsonAtomic(pinPath(home, pin.plugin), pin);
}
