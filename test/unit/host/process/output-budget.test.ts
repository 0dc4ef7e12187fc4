import { describe, expect, it, vi } from 'vitest';
import { OutputBudget } from '../../../../src/host/process/output-budget.js';

describe('OutputBudget (no disk filled by one plugin)', () => {
  it('lets a burst up to the budget through, drops the rest with one notice, and reports the count once output slows down', () => {
    vi.useFakeTimers();
    try {
      const notices: string[] = [];
      const b = new OutputBudget(1000, (m) => notices.push(m));
      const allowed = Array.from({ length: 30 }, () => b.allow(100)).filter(Boolean).length;
      expect(allowed).toBe(10);
      expect(notices).toEqual(['output over 1 KiB/s; dropping its output until it slows down']);
      vi.advanceTimersByTime(1000);
      expect(b.allow(100)).toBe(true);
      expect(notices[1]).toBe('dropped 20 line(s), 2000 bytes, of its output');
      expect(notices).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('never limits with a budget of 0', () => {
    const b = new OutputBudget(0, () => { throw new Error('no notice expected'); });
    for (let i = 0; i < 1000; i++) expect(b.allow(1e6)).toBe(true);
  });
});
