/**
 * Latency histograms and counters for the host. A histogram is log-bucketed (8 buckets per
 * power of two, about 9% relative error) so recording is one Math.log2 and one array
 * increment, memory is fixed, and histograms from several runs can be merged.
 */

const SUB = 8; // buckets per power of two
const BUCKETS = 8 * 40; // covers up to 2^40 µs
/** Values are microseconds; anything below 1 µs goes to bucket 0. */

export interface LatencySummary {
  count: number;
  /** Milliseconds. */
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** A histogram as stored on disk: sparse [bucket, count] pairs, so runs can be merged later. */
export interface HistogramJSON {
  count: number;
  sumMs: number;
  maxMs: number;
  buckets: [number, number][];
}

/** A log-bucketed latency histogram recording milliseconds with microsecond resolution. */
export class Histogram {
  readonly buckets = new Uint32Array(BUCKETS);
  count = 0;
  sumMs = 0;
  maxMs = 0;

  /** Records one duration in milliseconds. */
  record(ms: number): void {
    const us = ms * 1000;
    let i = us < 1 ? 0 : (Math.log2(us) * SUB + 1) | 0;
    if (i >= BUCKETS) i = BUCKETS - 1;
    this.buckets[i]++;
    this.count++;
    this.sumMs += ms;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  /** The p-th percentile (0..100) in milliseconds: the geometric middle of its bucket, capped at the max seen. */
  percentile(p: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.buckets[i]!;
      if (seen >= rank) {
        if (i === 0) return Math.min(0.0005, this.maxMs);
        const lo = 2 ** ((i - 1) / SUB);
        const hi = 2 ** (i / SUB);
        return Math.min(Math.sqrt(lo * hi) / 1000, this.maxMs);
      }
    }
    return this.maxMs;
  }

  /** Adds another histogram's samples to this one. */
  merge(other: Histogram): void {
    for (let i = 0; i < BUCKETS; i++) this.buckets[i]! += other.buckets[i]!;
    this.count += other.count;
    this.sumMs += other.sumMs;
    this.maxMs = Math.max(this.maxMs, other.maxMs);
  }

  /** The sparse form written to the stats files. */
  toJSON(): HistogramJSON {
    const buckets: [number, number][] = [];
    for (let i = 0; i < BUCKETS; i++) if (this.buckets[i]) buckets.push([i, this.buckets[i]!]);
    return { count: this.count, sumMs: this.sumMs, maxMs: this.maxMs, buckets };
  }

  /** Rebuilds a histogram from its stored form, ignoring bucket indexes out of range. */
  static fromJSON(j: HistogramJSON): Histogram {
    const h = new Histogram();
    for (const [i, n] of j.buckets) if (Number.isInteger(i) && i >= 0 && i < BUCKETS && n > 0) h.buckets[i] += n;
    h.count = j.count;
    h.sumMs = j.sumMs;
    h.maxMs = j.maxMs;
    return h;
  }

  /** Count, p50/p95/p99, max and mean, all in milliseconds rounded to microseconds. */
  summary(): LatencySummary {
    const r = (x: number) => Math.round(x * 1000) / 1000;
    return {
      count: this.count,
      p50: r(this.percentile(50)),
      p95: r(this.percentile(95)),
      p99: r(this.percentile(99)),
      max: r(this.maxMs),
      mean: r(this.count ? this.sumMs / this.count : 0),
    };
  }
}

/** Named monotonically increasing counters. */
export class Counters<K extends string = string> {
  private readonly values = new Map<K, number>();

  /** Adds `n` (default 1) to counter `name`. */
  inc(name: K, n = 1): void {
    this.values.set(name, (this.values.get(name) ?? 0) + n);
  }

  /** The current value of `name` (0 when never incremented). */
  get(name: K): number {
    return this.values.get(name) ?? 0;
  }

  /** All counters as a plain object. */
  toJSON(): Record<string, number> {
    return Object.fromEntries(this.values) as Record<string, number>;
  }
}
