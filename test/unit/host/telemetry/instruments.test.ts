import { describe, expect, it } from 'vitest';
import { Instrument, MAX_SERIES } from '../../../../src/host/telemetry/instruments.js';

describe('Instrument', () => {
  it('puts a value on a boundary in that bucket (le), and larger ones in +Inf', () => {
    const h = new Instrument({ name: 'h', kind: 'histogram', unit: 's', description: '', boundaries: [1, 2] });
    for (const v of [0.5, 1, 1.5, 2, 3]) h.record(v, {});
    const s = [...h.series.values()][0]!;
    expect([...s.counts!]).toEqual([2, 2, 1]);
    expect([s.count, s.sum, s.min, s.max]).toEqual([5, 8, 0.5, 3]);
  });

  it('stops made-up attribute values from growing memory: past MAX_SERIES sets they count under otel.metric.overflow', () => {
    const c = new Instrument({ name: 'c', kind: 'counter', unit: '', description: '' });
    for (let i = 0; i < MAX_SERIES + 50; i++) c.add({ tool: `t${i}` });
    expect(c.series.size).toBe(MAX_SERIES + 1);
    const overflow = [...c.series.values()].find((s) => s.attributes['otel.metric.overflow'] === 'true');
    expect(overflow?.sum).toBe(50);
  });
});
