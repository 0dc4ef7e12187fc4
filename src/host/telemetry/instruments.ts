/**
 * pm's metric instruments, always on and nearly free: a histogram is a fixed bucket array per
 * attribute set, a counter one number per set. /metrics writes them as Prometheus text
 * (prometheus.ts) and, when OTLP is configured, the SDK reads them at export time (otel-metrics.ts),
 * so recording never goes through the SDK.
 */

export type Attributes = Record<string, string>;

/** One attribute set's values; for counters only `sum` is used. */
export interface Series {
  attributes: Attributes;
  /** Per bucket (not cumulative); the last one is +Inf. Histograms only. */
  counts?: Float64Array;
  count: number;
  sum: number;
  min: number;
  max: number;
}

export type InstrumentKind = 'histogram' | 'counter' | 'updowncounter' | 'gauge';

/** What an instrument is: its OTel name, unit and description. */
export interface InstrumentInfo {
  name: string;
  kind: InstrumentKind;
  /** UCUM unit as OTel writes it (`s`, `{request}`). */
  unit: string;
  description: string;
  /** Upper bounds of the histogram buckets, ascending. */
  boundaries?: readonly number[];
}

/** The key of an attribute set: its values in the order the instrument declares the keys. */
const keyOf = (a: Attributes): string => {
  let k = '';
  for (const name in a) k += name + '\u0000' + a[name] + '\u0001';
  return k;
};

/** Most attribute sets per instrument; more are counted under `otel.metric.overflow` (as the OTel SDK does), so clients sending made-up tool names cannot grow memory. */
export const MAX_SERIES = 2000;
const OVERFLOW: Attributes = { 'otel.metric.overflow': 'true' };

/** An instrument with one series per attribute set. */
export class Instrument {
  readonly series = new Map<string, Series>();
  /** When the instrument was made (the start of its cumulative series), ms since the epoch. */
  readonly startTime = Date.now();
  constructor(readonly info: InstrumentInfo) {}

  private get(attributes: Attributes): Series {
    let key = keyOf(attributes);
    let s = this.series.get(key);
    if (s === undefined && this.series.size >= MAX_SERIES) {
      attributes = OVERFLOW;
      s = this.series.get((key = keyOf(OVERFLOW)));
    }
    if (s === undefined) {
      s = { attributes: { ...attributes }, count: 0, sum: 0, min: Infinity, max: -Infinity };
      if (this.info.kind === 'histogram') s.counts = new Float64Array((this.info.boundaries?.length ?? 0) + 1);
      this.series.set(key, s);
    }
    return s;
  }

  /** Histograms: records one value (seconds for durations). */
  record(value: number, attributes: Attributes): void {
    const s = this.get(attributes);
    const b = this.info.boundaries!;
    let i = 0;
    // Prometheus buckets are `le` (less or equal): a value on a boundary belongs to that bucket.
    while (i < b.length && value > b[i]!) i++;
    s.counts![i]!++;
    s.count++;
    s.sum += value;
    if (value < s.min) s.min = value;
    if (value > s.max) s.max = value;
  }

  /** Counters and up-down counters: adds `n` (default 1). */
  add(attributes: Attributes, n = 1): void {
    const s = this.get(attributes);
    s.sum += n;
    s.count++;
  }
}

/** A gauge or counter whose values are read when exported (plugin states, process counts). */
export interface Observed {
  info: InstrumentInfo;
  /** The current values; called on every scrape and export. */
  observe(): { attributes: Attributes; value: number }[];
}

/** Every instrument and observed value pm exports. */
export class Registry {
  readonly instruments: Instrument[] = [];
  private readonly observers = new Map<string, { info: InstrumentInfo; sources: Set<() => { attributes: Attributes; value: number }[]> }>();

  /** Creates an instrument (one per name). */
  instrument(info: InstrumentInfo): Instrument {
    const i = new Instrument(info);
    this.instruments.push(i);
    return i;
  }

  /** Adds a source for an observed instrument; returns the function that removes it (a host that closes). */
  observe(info: InstrumentInfo, source: () => { attributes: Attributes; value: number }[]): () => void {
    let o = this.observers.get(info.name);
    if (!o) this.observers.set(info.name, (o = { info, sources: new Set() }));
    o.sources.add(source);
    return () => o!.sources.delete(source);
  }

  /** The observed instruments with their current values, summed over sources by attribute set. */
  observed(): { info: InstrumentInfo; points: { attributes: Attributes; value: number }[] }[] {
    return [...this.observers.values()].map(({ info, sources }) => {
      const points = new Map<string, { attributes: Attributes; value: number }>();
      for (const source of sources) {
        for (const p of source()) {
          const k = keyOf(p.attributes);
          const had = points.get(k);
          if (had) had.value += p.value;
          else points.set(k, { attributes: p.attributes, value: p.value });
        }
      }
      return { info, points: [...points.values()] };
    });
  }
}
