import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PmError } from '../errors.js';
import type { Finding } from '../warn.js';
import { formatFinding } from './format.js';
import { MANIFEST_FILE } from './schema-url.js';
import type { Manifest } from './types.js';
import { validateManifest } from './validate.js';

/** Line and column (1-based) of a character offset. */
function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/**
 * Reads and parses `<dir>/plugin.json` without validating it. Throws PmError (kind
 * validation) MANIFEST_MISSING or MANIFEST_INVALID_JSON, with the line and column of a
 * syntax error.
 */
export async function readManifestJson(dir: string): Promise<unknown> {
  const file = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new PmError('MANIFEST_MISSING', `${file} does not exist`, {
        kind: 'validation',
        hint: 'a plugin folder needs a plugin.json; create one with pm plugin-create',
        data: { file },
      });
    }
    throw new PmError('MANIFEST_UNREADABLE', `cannot read ${file}: ${(err as Error).message}`, { kind: 'failure', hint: 'check the file\'s permissions', data: { file }, cause: err });
  }
  // Editors on some systems save a byte-order mark, which JSON.parse refuses.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const msg = (err as Error).message;
    const pos = /at position (\d+)/.exec(msg);
    const at = pos ? lineCol(text, Number(pos[1])) : undefined;
    const where = at ? `${MANIFEST_FILE}:${at.line}:${at.column}` : MANIFEST_FILE;
    throw new PmError('MANIFEST_INVALID_JSON', `${where}: not valid JSON: ${msg.replace(/ in JSON at position \d+.*$/, '')}`, {
      kind: 'validation',
      hint: 'fix the JSON syntax (no comments or trailing commas in plugin.json)',
      data: { file, ...(at ?? {}) },
    });
  }
}

/** Throws MANIFEST_INVALID listing every error, if there are any. */
export function assertNoErrors(file: string, findings: Finding[]): void {
  const errors = findings.filter((f) => f.severity === 'error');
  if (!errors.length) return;
  const list = errors.map((f) => `  ${formatFinding(f)}`).join('\n');
  throw new PmError('MANIFEST_INVALID', `${file} is invalid (${errors.length} ${errors.length === 1 ? 'error' : 'errors'}):\n${list}`, {
    kind: 'validation',
    hint: 'fix the fields listed above; pm plugin-validate shows every problem with the folder too',
    data: { file, errors },
  });
}

/**
 * Reads, parses and validates `<dir>/plugin.json` (schema and the rules beyond it;
 * unknown fields stay warnings). Throws PmError kind 'validation' (MANIFEST_MISSING,
 * MANIFEST_INVALID_JSON, MANIFEST_INVALID) with a hint.
 */
export async function readManifest(dir: string): Promise<Manifest> {
  const value = await readManifestJson(dir);
  assertNoErrors(join(dir, MANIFEST_FILE), await validateManifest(value, { dir }));
  return value as Manifest;
}
