import { PmError } from '../errors.js';

/** Nesting deeper than this is refused: real manifests, indexes and pins stay under 10. */
export const DEFAULT_MAX_JSON_DEPTH = 64;

export interface ParseUntrustedOptions {
  /** What is parsed, for messages: "plugin.json", "the index of registry main", a path. */
  what: string;
  /** Refuse more bytes than this. */
  maxBytes: number;
  /** Refuse arrays/objects nested deeper than this (default 64). */
  maxDepth?: number;
  /** Hint of the refusals. */
  hint?: string;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Line and column (1-based) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/**
 * Returns the offset of the first bracket nested deeper than `max`, or -1. A flat scan (no
 * recursion), so a document nested 20,000 levels deep is measured without a stack overflow.
 */
export function excessDepthAt(text: string, max: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return i;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return -1;
}

/**
 * Decodes and parses JSON from a source pm does not control: refuses more than `maxBytes`,
 * bytes that are not UTF-8, and nesting deeper than `maxDepth`, each with its own PmError
 * (JSON_TOO_LARGE, JSON_NOT_UTF8, JSON_TOO_DEEP; JSON_SYNTAX with line and column).
 */
export function parseUntrustedJson(input: Uint8Array | string, opts: ParseUntrustedOptions): unknown {
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_JSON_DEPTH;
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.byteLength;
  if (size > opts.maxBytes) {
    throw new PmError('JSON_TOO_LARGE', `${opts.what} is ${size} bytes; the limit is ${opts.maxBytes}`, { hint: opts.hint, data: { what: opts.what, bytes: size, maxBytes: opts.maxBytes } });
  }
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    try {
      text = decoder.decode(input); // also drops a leading byte-order mark
    } catch {
      throw new PmError('JSON_NOT_UTF8', `${opts.what} is not valid UTF-8`, { hint: opts.hint ?? 'save the file as UTF-8', data: { what: opts.what } });
    }
  }
  // Editors on some systems save a byte-order mark, which JSON.parse refuses.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const deep = excessDepthAt(text, maxDepth);
  if (deep !== -1) {
    const at = lineColumn(text, deep);
    throw new PmError('JSON_TOO_DEEP', `${opts.what}:${at.line}:${at.column}: nested more than ${maxDepth} levels deep`, {
      hint: opts.hint ?? `flatten the data: pm reads JSON nested at most ${maxDepth} levels deep`, data: { what: opts.what, maxDepth, ...at },
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /at position (\d+)/.exec(msg);
    const at = pos ? lineColumn(text, Number(pos[1])) : undefined;
    const where = at ? `${opts.what}:${at.line}:${at.column}` : opts.what;
    throw new PmError('JSON_SYNTAX', `${where}: not valid JSON: ${msg.replace(/ in JSON at position \d+.*$/, '')}`, { hint: opts.hint, data: { what: opts.what, ...(at ?? {}) } });
  }
}
