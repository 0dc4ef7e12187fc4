import { createHash } from 'node:crypto';

/** What LLM APIs behind many clients accept as a tool name (DESIGN §5). */
export const WIRE_NAME = /^[A-Za-z0-9_-]+$/;
/** The longest `<plugin><separator><name>` those APIs accept. */
export const MAX_WIRE_NAME = 64;
/** The separator the 64-character budget is counted with (pm serve's default). */
export const DEFAULT_SEPARATOR = '__';

const HASH_LENGTH = 8;

function shortHash(name: string, length: number): string {
  return createHash('sha256').update(name, 'utf8').digest('hex').slice(0, length);
}

/** Whether `<plugin><separator><name>` fits the wire rule as it is. */
export function fitsWire(plugin: string, name: string, separator = DEFAULT_SEPARATOR): boolean {
  return WIRE_NAME.test(name) && plugin.length + separator.length + name.length <= MAX_WIRE_NAME;
}

/**
 * The name pm gives a server's tool or prompt: the name itself when `<plugin>__<name>` fits the
 * wire rule, else the name with every other character replaced by `_`, cut to fit, plus `-` and
 * the first hex digits of the name's SHA-256 (deterministic: the same name always maps the same way).
 */
export function safeName(plugin: string, name: string, separator = DEFAULT_SEPARATOR, hashLength = HASH_LENGTH): string {
  if (fitsWire(plugin, name, separator)) return name;
  const budget = MAX_WIRE_NAME - plugin.length - separator.length;
  const hash = shortHash(name, Math.min(hashLength, budget));
  const room = budget - hash.length - 1;
  const stem = room > 0 ? name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, room) : '';
  return stem ? `${stem}-${hash}` : hash;
}

/** One server name and the safe name pm uses for it. */
export interface SafeNameMapping {
  name: string;
  safe: string;
}

/**
 * Safe names for all of one server's tool (or prompt) names: a map safe → original. Names that
 * fit are kept; the others get safeName(), with a longer hash when it would clash with another name.
 */
export function safeNames(plugin: string, names: readonly string[], separator = DEFAULT_SEPARATOR): Map<string, string> {
  const out = new Map<string, string>();
  // Names that fit keep themselves, so a renamed neighbour can never take a name a server gave.
  for (const n of names) if (fitsWire(plugin, n, separator) && !out.has(n)) out.set(n, n);
  for (const n of names) {
    if (fitsWire(plugin, n, separator)) continue;
    let safe = safeName(plugin, n, separator);
    for (let len = HASH_LENGTH * 2; out.has(safe) && out.get(safe) !== n && len <= 64; len *= 2) safe = safeName(plugin, n, separator, len);
    if (!out.has(safe)) out.set(safe, n);
  }
  return out;
}

/** The renamed ones only (what plugin-info shows): original and safe name, in the server's order. */
export function renamedOnly(map: Map<string, string>): SafeNameMapping[] {
  return [...map].filter(([safe, name]) => safe !== name).map(([safe, name]) => ({ name, safe }));
}
