import { describe, expect, it } from 'vitest';
import { escapeControl, escapeJsonLine } from '../../../src/host/log-text.js';

describe('escapeControl (no forged host log lines)', () => {
  it('writes newlines, carriage returns, tabs, ANSI escapes, C1 controls, separators and bidi overrides as visible escapes', () => {
    expect(escapeControl('a\nb\rc\td')).toBe('a\\nb\\rc\\td');
    expect(escapeControl('\u001b[31mred\u001b[0m')).toBe('\\u001b[31mred\\u001b[0m');
    expect(escapeControl('\u009b2K\u0000\u007f')).toBe('\\u009b2K\\u0000\\u007f');
    expect(escapeControl('x\u2028y\u2029z\u202eevil')).toBe('x\\u2028y\\u2029z\\u202eevil');
  });

  it('leaves ordinary text, including non-ASCII letters and emoji, as it is', () => {
    expect(escapeControl('naïve café → 日本 🎉 "quoted" \\ back')).toBe('naïve café → 日本 🎉 "quoted" \\ back');
  });
});

describe('escapeJsonLine', () => {
  it('escapes what JSON.stringify leaves raw and keeps the line valid JSON with the same value', () => {
    const value = { msg: 'a\u009bb\u2028c\u007f' };
    const line = escapeJsonLine(JSON.stringify(value));
    expect(line).toBe('{"msg":"a\\u009bb\\u2028c\\u007f"}');
    expect(JSON.parse(line)).toEqual(value);
  });
});
