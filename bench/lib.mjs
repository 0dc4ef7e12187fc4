// Shared helpers for the benchmarks: timing of whole commands and formatting of figures.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
export const pmBin = join(repoRoot, 'bin', 'pm.js');

/** Median of a list of numbers. */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Percentile (0..100) of a list of numbers. */
export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** Wall-clock milliseconds of one run of a command. */
export function timeCommand(cmd, args, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: 'ignore', ...opts });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  return ms;
}

/** Runs a and b interleaved n times each and returns both medians. */
export function compare(a, b, n = 15) {
  const ta = [], tb = [];
  a(); b(); // warm the file cache
  for (let i = 0; i < n; i++) { ta.push(a()); tb.push(b()); }
  return { a: median(ta), b: median(tb) };
}

/** Prints one figure line: name, value, baseline, ratio and target verdict. */
export function report(name, { value, unit = 'ms', baseline, baselineName, target }) {
  const fmt = (x) => `${x.toFixed(x < 10 ? 2 : 1)} ${unit}`;
  let line = `${name}: ${fmt(value)}`;
  if (baseline !== undefined) {
    const ratio = value / baseline;
    line += ` vs ${baselineName} ${fmt(baseline)} = ratio ${ratio.toFixed(2)}`;
    if (target !== undefined) line += ` (target <= ${target}: ${ratio <= target ? 'met' : 'MISSED'})`;
  } else if (target !== undefined) {
    line += ` (target <= ${target} ${unit}: ${value <= target ? 'met' : 'MISSED'})`;
  }
  console.log(line);
}
