import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from '../../../../src/core/manifest/did-you-mean.js';

describe('didYouMean', () => {
  it('measures edit distance', () => {
    expect(editDistance('licence', 'license')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('suggests the closest field for a typo, preferring a case-only difference', () => {
    expect(didYouMean('descripton', ['name', 'description', 'version'])).toBe('description');
    expect(didYouMean('readonlyHint', ['readOnlyHint', 'idempotentHint'])).toBe('readOnlyHint');
  });

  it('suggests nothing when no candidate is close', () => {
    expect(didYouMean('widgets', ['tools', 'resources', 'prompts'])).toBeUndefined();
  });
});
