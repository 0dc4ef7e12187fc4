import { describe, expect, it } from 'vitest';
import { checkEngines, pmVersion } from '../../../../src/core/resolve/engines.js';

const v = { pm: '1.2.0', node: '20.20.0' };

describe('checkEngines', () => {
  it('accepts ranges that match, and a manifest without engines', () => {
    expect(() => checkEngines({ name: 'a', version: '1.0.0', engines: { pm: '^1.0.0', node: '>=20' } }, v)).not.toThrow();
    expect(() => checkEngines({ name: 'a', version: '1.0.0' }, v)).not.toThrow();
  });

  it('refuses a pm range that does not match, with an upgrade hint', () => {
    expect(() => checkEngines({ name: 'a', version: '1.0.0', engines: { pm: '^2.0.0' } }, v)).toThrow(
      expect.objectContaining({ code: 'ENGINE_MISMATCH', message: 'a@1.0.0 needs pm ^2.0.0, but this is pm 1.2.0', hint: expect.stringContaining('upgrade pm') }),
    );
  });

  it('refuses a node range that does not match', () => {
    expect(() => checkEngines({ name: 'a', version: '1.0.0', engines: { node: '>=22' } }, v)).toThrow('a@1.0.0 needs Node >=22, but this is Node 20.20.0');
  });

  it('refuses an invalid range as a validation error (exit 3)', () => {
    expect(() => checkEngines({ name: 'a', version: '1.0.0', engines: { pm: 'banana' } }, v)).toThrow(expect.objectContaining({ code: 'ENGINE_INVALID', exitCode: 3 }));
  });

  it('reads the running pm version from package.json', () => {
    expect(pmVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
