import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnvFlags, permissionsFromFlags } from '../../../../src/core/sources/server-flags.js';

describe('parseEnvFlags', () => {
  it('reads KEY=VALUE, keeping = and substitutions in the value', () => {
    expect(parseEnvFlags(['A=1', 'B=x=y', 'TOKEN=${secret.TOKEN}', 'EMPTY='])).toEqual({ A: '1', B: 'x=y', TOKEN: '${secret.TOKEN}', EMPTY: '' });
  });

  it('refuses an item without = or with a bad name', () => {
    for (const bad of ['NOEQUALS', '=v', '1A=v', 'A-B=v']) {
      expect(() => parseEnvFlags([bad])).toThrow(expect.objectContaining({ code: 'SERVER_ENV_INVALID', message: expect.stringContaining(bad) }));
    }
  });
});

describe('permissionsFromFlags', () => {
  it('gives nothing when no flag is given', () => {
    expect(permissionsFromFlags({})).toEqual({});
  });

  it('makes relative paths absolute and keeps $DATA and ~/ as written', () => {
    expect(permissionsFromFlags({ allowRead: ['docs', '~/notes', '$DATA/x'], allowWrite: ['/abs'], allowNet: ['api.example.org'] })).toEqual({
      fs: { read: [resolve('docs'), '~/notes', '$DATA/x'], write: ['/abs'] },
      network: ['api.example.org'],
    });
  });
});
