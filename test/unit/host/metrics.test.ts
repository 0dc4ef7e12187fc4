import { describe, expect, it } from 'vitest';
import { Counters, Histogram } from '../../../src/host/metrics.js';

describe('Histogram', () => {
  it('reports p50/p95/p99 within the bucket precision (about 9%)', () => {
    const h = new Histogram();
    for (let i = 1; i <= 1000; i++) h.record(i / 100); // 0.01 .. 10 ms
    const s = h.summary();
    expect(s.count).toBe(1000);
    expect(s.p50).toBeGreaterThan(5 * 0.91);
    expect(s.p50).toBeLessThan(5 * 1.09);
    expect(s.p95).toBeGreaterThan(9.5 * 0.91);
    expect(s.p99).toBeLessThanOrEqual(10);
    expect(s.max).toBe(10);
    expect(s.mean).toBeCloseTo(5.005, 2);
  });

  it('is all zeros when empty and merges counts from another histogram', () => {
    const a = new Histogram();
    expect(a.summary()).toEqual({ count: 0, p50: 0, p95: 0, p99: 0, max: 0, mean: 0 });
    const b = new Histogram();
    b.record(2);
    b.record(4);
    a.record(1);
    a.merge(b);
    expect(a.count).toBe(3);
    expect(a.maxMs).toBe(4);
  });

  it('never reports a percentile above the largest value seen', () => {
    const h = new Histogram();
    h.record(0.0001);
    expect(h.percentile(99)).toBeLessThanOrEqual(0.0001);
  });
});

describe('Counters', () => {
  it('counts per name and serializes to a plain object', () => {
    const c = new Counters();
    c.inc('calls');
    c.inc('calls', 2);
    c.inc('errors');
    expect(c.get('calls')).toBe(3);
    expect(c.get('none')).toBe(0);
    expect(c.toJSON()).toEqual({ calls: 3, errors: 1 });
  });
});
