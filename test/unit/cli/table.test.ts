import { describe, expect, it } from 'vitest';
import { table } from '../../../src/cli/table.js';

describe('table', () => {
  it('pads every column but the last to its widest cell, two spaces apart, with no trailing spaces', () => {
    expect(table([['NAME', 'STATE', 'NOTE'], ['notes', 'enabled', ''], ['a', 'off', 'x y']])).toEqual([
      'NAME   STATE    NOTE',
      'notes  enabled',
      'a      off      x y',
    ]);
  });
});
