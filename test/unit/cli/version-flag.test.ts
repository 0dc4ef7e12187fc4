import { describe, expect, it } from 'vitest';
import { asksForVersion } from '../../../src/cli/version-flag.js';

describe('asksForVersion', () => {
  it('answers -V and --version on their own', () => {
    expect(asksForVersion(['--version'])).toBe(true);
    expect(asksForVersion(['-V'])).toBe(true);
  });

  it('answers them among global flags, --home <dir> included', () => {
    expect(asksForVersion(['--json', '--version'])).toBe(true);
    expect(asksForVersion(['--home', '/tmp/h', '-V'])).toBe(true);
    expect(asksForVersion(['--version', '--verbose'])).toBe(true);
  });

  it('leaves --version after a command to that command (marketplace-install --version <v>)', () => {
    expect(asksForVersion(['marketplace-install', 'notes', '--version', '1.0.0'])).toBe(false);
    expect(asksForVersion(['--home', '/tmp/h', 'marketplace-install', 'notes', '--version', '~1.0.0'])).toBe(false);
  });

  it('is false without the flag', () => {
    expect(asksForVersion([])).toBe(false);
    expect(asksForVersion(['--help'])).toBe(false);
    expect(asksForVersion(['doctor'])).toBe(false);
  });
});
