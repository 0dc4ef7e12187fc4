import { describe, expect, it } from 'vitest';
import { excessDepthAt, parseUntrustedJson } from '../../../../src/core/json/parse-untrusted.js';
import type { PmError } from '../../../../src/core/errors.js';

const opts = { what: 'index.json', maxBytes: 1 << 20 };

function refusal(input: Uint8Array | string, o: Parameters<typeof parseUntrustedJson>[1] = opts): PmError {
  try {
    parseUntrustedJson(input, o);
  } catch (err) {
    return err as PmError;
  }
  throw new Error('expected a refusal');
}

describe('parseUntrustedJson', () => {
  it('parses ordinary JSON from bytes and from text, dropping a byte-order mark', () => {
    expect(parseUntrustedJson(Buffer.from('\ufeff{"a":[1,{"b":"]]]"}]}'), opts)).toEqual({ a: [1, { b: ']]]' }] });
    expect(parseUntrustedJson('\ufeff[true]', opts)).toEqual([true]);
  });

  it('deep-json-refused-without-stack-overflow: 20,000 levels are refused with the place and the limit, not "Maximum call stack size exceeded"', () => {
    const e = refusal(`{"x":${'['.repeat(20_000)}${']'.repeat(20_000)}}`);
    expect([e.code, e.kind]).toEqual(['JSON_TOO_DEEP', 'validation']);
    expect(e.message).toBe('index.json:1:69: nested more than 64 levels deep');
    expect(e.data).toMatchObject({ maxDepth: 64, line: 1, column: 69 });
  });

  it('accepts exactly the depth limit and counts no brackets inside strings or after escapes', () => {
    expect(parseUntrustedJson(`${'['.repeat(64)}${']'.repeat(64)}`, opts)).toBeDefined();
    expect(refusal(`${'['.repeat(65)}${']'.repeat(65)}`).code).toBe('JSON_TOO_DEEP');
    expect(excessDepthAt(JSON.stringify({ s: '[[[[{{{{\\"[[[[' }), 2)).toBe(-1);
    expect(parseUntrustedJson(JSON.stringify({ s: '['.repeat(500) }), { ...opts, maxDepth: 3 })).toEqual({ s: '['.repeat(500) });
  });

  it('oversized-json-refused: more bytes than the cap are refused before decoding', () => {
    const e = refusal(Buffer.from(JSON.stringify({ pad: 'x'.repeat(100) })), { ...opts, maxBytes: 50 });
    expect(e.code).toBe('JSON_TOO_LARGE');
    expect(e.message).toBe('index.json is 110 bytes; the limit is 50');
  });

  it('invalid-utf8-json-refused: bytes that are not UTF-8 are refused, not replaced', () => {
    const e = refusal(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]));
    expect([e.code, e.message]).toEqual(['JSON_NOT_UTF8', 'index.json is not valid UTF-8']);
  });

  it('names the line and column of a syntax error', () => {
    const e = refusal('{\n  "a": 1,\n}');
    expect(e.code).toBe('JSON_SYNTAX');
    expect(e.message).toMatch(/^index\.json:3:1: not valid JSON: /);
  });

  it('uses the hint it is given; its refusals are validation errors (exit 3, from the code table)', () => {
    const e = refusal('[[[', { ...opts, maxDepth: 2, hint: 'ask the registry operator' });
    expect([e.code, e.kind, e.hint, e.exitCode]).toEqual(['JSON_TOO_DEEP', 'validation', 'ask the registry operator', 3]);
  });
});
