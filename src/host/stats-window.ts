import { PmError } from '../core/errors.js';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The default `--since` window of `pm stats` and `pm hook-stats`. */
export const DEFAULT_SINCE = '24h';

/** Turns a `--since` value (`30m`, `24h`, `7d` or `all`) into the start of the window (undefined for all kept days). */
export function parseSince(value: string, now = Date.now()): Date | undefined {
  if (value === 'all') return undefined;
  const m = /^([1-9]\d{0,5})([mhd])$/.exec(value);
  if (!m) throw new PmError('USAGE', `--since '${value}' is not a duration`, { hint: "give a whole number and a unit: 30m, 24h, 7d, or 'all' for every kept day" });
  return new Date(now - Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]);
}
