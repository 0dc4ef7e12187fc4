import { describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { mapInOrder } from '../../../../src/core/validate/map-in-order.js';

describe('mapInOrder', () => {
  it('returns results in input order when later items finish first, with no more than the limit in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapInOrder([5, 1, 4, 0, 3, 2, 0, 1], 3, async (n) => {
      most = Math.max(most, ++inFlight);
      await sleep(n * 3);
      inFlight--;
      return `r${n}`;
    });
    expect(out).toEqual(['r5', 'r1', 'r4', 'r0', 'r3', 'r2', 'r0', 'r1']);
    expect(most).toBe(3);
  });

  it('rejects with the failure of an item, and maps an empty list to an empty list', async () => {
    await expect(mapInOrder([1, 2, 3], 2, async (n) => { if (n === 2) throw new Error('two failed'); return n; })).rejects.toThrow('two failed');
    expect(await mapInOrder([], 4, async () => 1)).toEqual([]);
  });
});
