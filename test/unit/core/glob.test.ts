import { describe, expect, it } from 'vitest';
import { compileGlob } from '../../../src/core/glob.js';

describe('compileGlob', () => {
  it('compiles globs: * spans dots, ? is one character, other characters are literal', () => {
    expect(compileGlob('notes.*')('notes.add')).toBe(true);
    expect(compileGlob('notes.*')('notesXadd')).toBe(false);
    expect(compileGlob('*.add')('a.b.add')).toBe(true);
    expect(compileGlob('n?tes.add')('notes.add')).toBe(true);
    expect(compileGlob('(a)+')('(a)+')).toBe(true);
  });

  it('matches the whole name, not a part of it', () => {
    expect(compileGlob('notes.add')('notes.add2')).toBe(false);
    expect(compileGlob('otes.*')('notes.add')).toBe(false);
  });
});
