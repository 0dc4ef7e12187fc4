import { describe, expect, it } from 'vitest';
import { listedTools } from '../../../../src/core/store/plugin-tools.js';
import type { Manifest } from '../../../../src/core/manifest/types.js';

describe('listedTools', () => {
  it('is the manifest\'s declared tools, or none', () => {
    const tools = [{ name: 'a', description: 'A' }];
    expect(listedTools({ name: 'p', version: '1.0.0', contributes: { tools } } as Manifest)).toEqual(tools);
    expect(listedTools({ name: 'p', version: '1.0.0' } as Manifest)).toEqual([]);
  });
});
