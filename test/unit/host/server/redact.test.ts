import { describe, expect, it } from 'vitest';
import { redactor } from '../../../../src/host/server/redact.js';

describe('redactor', () => {
  it('replaces every occurrence of every secret value, longest first', () => {
    const r = redactor({ A: 'token-123', B: 'token-123-long' });
    expect(r('x token-123-long y token-123 z')).toBe('x *** y *** z');
  });

  it('leaves text alone without secrets, and ignores values too short to mean anything', () => {
    expect(redactor(undefined)('plain')).toBe('plain');
    expect(redactor({ FLAG: 'on' })('turned on')).toBe('turned on');
  });
});
