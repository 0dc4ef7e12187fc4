import { describe, expect, it } from 'vitest';
import { CrashRecord } from '../../../../src/host/process/crash-record.js';

describe('CrashRecord', () => {
  const opts = { maxCrashes: 4, crashWindowMs: 1000, backoffMs: 100, backoffMaxMs: 300 };

  it('doubles the restart delay per recent crash up to backoffMaxMs', () => {
    const r = new CrashRecord(opts);
    expect(r.waitMs(0)).toBe(0);
    expect(r.record(0)).toBe(false);
    expect(r.waitMs(0)).toBe(100);
    r.record(10);
    expect(r.waitMs(10)).toBe(200);
    r.record(20);
    expect(r.waitMs(20)).toBe(300);
  });

  it('says failed at maxCrashes within the window, and forgets crashes older than the window', () => {
    const r = new CrashRecord(opts);
    for (const t of [0, 10, 20]) expect(r.record(t)).toBe(false);
    expect(r.record(2000)).toBe(false);
    expect(r.recent).toBe(1);
    for (const t of [2001, 2002]) expect(r.record(t)).toBe(false);
    expect(r.record(2003)).toBe(true);
    r.clear();
    expect(r.waitMs(2003)).toBe(0);
  });
});
