import { describe, expect, it } from 'vitest';
import { closestName } from '../../../../src/core/marketplace/discover.js';

const names = ['notes', 'policy-guard', 'prompt-pack', 'storage', 'usage-analytics'];

describe('closestName', () => {
  it('suggests the name a typo of one or two letters meant', () => {
    expect(closestName('note', names)).toBe('notes');
    expect(closestName('stroage', names)).toBe('storage');
    expect(closestName('Notes', names)).toBe('notes');
  });

  it('suggests the one name that starts with what was typed', () => {
    expect(closestName('usage', names)).toBe('usage-analytics');
  });

  it('suggests nothing for a word far from every name, or a prefix shared by several', () => {
    expect(closestName('zzzz', names)).toBeUndefined();
    expect(closestName('p', names)).toBeUndefined();
  });
});
