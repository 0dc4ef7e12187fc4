import { describe, expect, it } from 'vitest';
import { checkPmSpec, defaultPmSpec, pmDependency } from '../../../../src/core/scaffold/pm-spec.js';

describe('pmDependency', () => {
  it.each([
    ['pmkit@^1.0.0', '^1.0.0'],
    ['pmkit', '*'],
    ['pmkit-1.0.0.tgz', 'file:pmkit-1.0.0.tgz'],
    ['../pmkit-1.0.0.tgz', '../pmkit-1.0.0.tgz'],
    ['file:../pmkit', 'file:../pmkit'],
    ['github:team/pmkit#v1', 'github:team/pmkit#v1'],
    ['team/pmkit', 'team/pmkit'],
    ['@team/pmkit@1.0.0', 'npm:@team/pmkit@1.0.0'],
  ])('turns the spec %s into the devDependency value %s', (spec, value) => {
    expect(pmDependency(spec)).toBe(value);
  });
});

describe('checkPmSpec', () => {
  it('accepts the default spec, a tarball path and a git URL', () => {
    for (const spec of [defaultPmSpec(), '../pmkit-1.0.0.tgz', 'git+ssh://git@example.org/pmkit.git#main']) expect(() => checkPmSpec(spec)).not.toThrow();
  });

  it.each(['', '  ', 'a b', 'a\tb', 'a"b', 'a`b', 'a\\b', 'a\u0000b', '-g'])('refuses %j with a USAGE error', (spec) => {
    expect(() => checkPmSpec(spec)).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
