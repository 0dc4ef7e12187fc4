import { describe, expect, it } from 'vitest';
import { normalizeBins, pickBin } from '../../../../src/core/sources/npm-bin.js';

describe('normalizeBins', () => {
  it('names a string bin after the package without its scope', () => {
    expect(normalizeBins('@acme/srv', 'cli.js')).toEqual({ srv: 'cli.js' });
    expect(normalizeBins('x', { a: 'a.js', b: 3 })).toEqual({ a: 'a.js' });
    expect(normalizeBins('x', undefined)).toEqual({});
  });
});

describe('pickBin', () => {
  it('takes the only bin, else the one named like the package, else --bin', () => {
    expect(pickBin('@acme/srv', { other: 'o.js' })).toEqual({ name: 'other', path: 'o.js' });
    expect(pickBin('@acme/srv', { srv: 's.js', tool: 't.js' })).toEqual({ name: 'srv', path: 's.js' });
    expect(pickBin('x', { a: 'a.js', b: 'b.js' }, 'b')).toEqual({ name: 'b', path: 'b.js' });
  });

  it('refuses no bin, an ambiguous choice and a missing --bin, listing the bins', () => {
    expect(() => pickBin('lib', {})).toThrow(expect.objectContaining({ code: 'NPM_NO_BIN', message: expect.stringContaining('declares no bin') }));
    expect(() => pickBin('x', { b: 'b.js', a: 'a.js' })).toThrow(expect.objectContaining({ code: 'NPM_NO_BIN', message: expect.stringContaining('its bins: a, b'), hint: expect.stringContaining('--bin a') }));
    expect(() => pickBin('x', { a: 'a.js' }, 'z')).toThrow(expect.objectContaining({ code: 'NPM_NO_BIN', message: 'x has no bin named "z" (its bins: a)' }));
  });
});
