import { describe, expect, it } from 'vitest';
import { maskCode } from '../../../../../src/core/validate/scan/code-mask.js';

/** The characters of `src` that the mask marks as code. */
function codeOf(src: string): string {
  const { text, code } = maskCode(src);
  return [...text].map((c, i) => (code[i] ? c : c === '\n' ? '\n' : '_')).join('');
}

describe('maskCode', () => {
  it('blanks comments but keeps offsets and line breaks', () => {
    const src = 'a // x\n/* y\n z */ b';
    const { text } = maskCode(src);
    expect(text.length).toBe(src.length);
    expect(text.split('\n').length).toBe(3);
    expect(text.replace(/\s+/g, ' ').trim()).toBe('a b');
  });

  it('marks string contents as not code, for all three quote styles', () => {
    expect(codeOf(`x('e(') + "e(" + \`e(\``)).toBe('x(____) + ____ + ____');
  });

  it('treats ${…} inside a template as code, including nested templates and braces', () => {
    const src = '`a ${ f({ b: `c ${ eval(1) }` }) } d`';
    const masked = codeOf(src);
    expect(masked.indexOf('eval(')).toBe(src.indexOf('eval('));
    expect(masked).not.toContain('a ');
    expect(masked.endsWith('_')).toBe(true);
  });

  it('tells a regular expression from a division', () => {
    expect(codeOf('const r = /eval(/g; x = a / b / c;')).toContain('x = a / b / c;');
    expect(codeOf('const r = /eval(/g;')).not.toContain('eval');
    expect(codeOf('return /["\']/.test(s) ? eval(s) : 0')).toContain('eval(s)');
  });

  it('skips a hashbang line', () => {
    const masked = codeOf('#!/usr/bin/env node eval(\nok');
    expect(masked).not.toContain('eval');
    expect(masked.endsWith('\nok')).toBe(true);
  });
});
