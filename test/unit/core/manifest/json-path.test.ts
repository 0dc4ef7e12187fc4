import { describe, expect, it } from 'vitest';
import { childPath, fromPointer } from '../../../../src/core/manifest/json-path.js';

describe('JSON paths', () => {
  it('turns an ajv pointer into a readable path', () => {
    expect(fromPointer('/contributes/tools/0/name')).toBe('contributes.tools[0].name');
    expect(fromPointer('')).toBe('');
  });

  it('quotes keys that are not identifiers', () => {
    expect(childPath('dependencies', 'my.plugin')).toBe('dependencies["my.plugin"]');
    expect(fromPointer('/a~1b')).toBe('["a/b"]');
  });
});
