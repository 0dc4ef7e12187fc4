import { usageError } from '../errors.js';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses `30d`, `12h`, `90m`, `2w` into milliseconds; `never` gives null (an index that never expires). */
export function parseDuration(text: string): number | null {
  if (text === 'never') return null;
  const m = /^(\d+)([mhdw])$/.exec(text.trim());
  if (!m || Number(m[1]) === 0) throw usageError(`"${text}" is not a duration`, 'use a number and a unit: 90m, 12h, 30d, 2w, or never');
  return Number(m[1]) * UNIT_MS[m[2]];
}
