// Shared helpers for the benchmarks: timing of whole commands and formatting of figures.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg as osLoadavg } from 'node:os';
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

/** One line with the 1/5/15-minute load average and core count, printed at the start of a run. */
export function loadavg() {
  const l = osLoadavg().map((x) => x.toFixed(2)).join(' ');
  return `load average: ${l} (${cpus().length} cores)`;
}

/** Median of one side's sample: a block of per-call times counts as its median. */
const sampleOf = (x) => (Array.isArray(x) ? median(x) : x);

/**
 * Runs a and b alternately (A B A B …) `pairs` times after `warmup` unmeasured pairs and takes
 * the ratio a/b pair by pair. Each side returns one figure or an array of per-call figures (a block).
 */
export async function interleaved(a, b, { pairs = 15, warmup = 1 } = {}) {
  for (let i = 0; i < warmup; i++) { await a(); await b(); }
  const ratios = [], sa = [], sb = [], all = { a: [], b: [] };
  for (let i = 0; i < pairs; i++) {
    const xa = await a();
    const xb = await b();
    if (Array.isArray(xa)) all.a.push(...xa);
    if (Array.isArray(xb)) all.b.push(...xb);
    sa.push(sampleOf(xa));
    sb.push(sampleOf(xb));
    ratios.push(sampleOf(xa) / sampleOf(xb));
  }
  return {
    ratio: { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) },
    a: { median: median(sa), samples: all.a.length ? all.a : sa },
    b: { median: median(sb), samples: all.b.length ? all.b : sb },
    pairs,
  };
}

/**
 * Prints one interleaved figure: name, value, baseline, `ratio <median> [<min>–<max>]`, target, met/missed.
 * `higherIsBetter` flips the target for rates (the target is then a floor on the ratio).
 */
export function reportRatio(name, r, { unit = 'ms', baselineName, target, higherIsBetter = false }) {
  const fmt = (x) => `${x.toFixed(x < 10 ? 3 : 1)} ${unit}`;
  const f2 = (x) => x.toFixed(2);
  let line = `${name}: ${fmt(r.a.median)}; baseline ${baselineName} ${fmt(r.b.median)}; ratio ${f2(r.ratio.median)} [${f2(r.ratio.min)}–${f2(r.ratio.max)}] over ${r.pairs} pairs`;
  if (target !== undefined) {
    const met = higherIsBetter ? r.ratio.median >= target : r.ratio.median <= target;
    line += `; target ${higherIsBetter ? '>=' : '<='} ${target}: ${met ? 'met' : 'MISSED'}`;
  }
  console.log(line);
}
