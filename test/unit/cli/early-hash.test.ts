import { describe, expect, it } from 'vitest';
import { packageToHashEarly } from '../../../src/cli/early-hash.js';

describe('packageToHashEarly', () => {
  it('names the package of plugin-verify and plugin-install, global flags before them included', () => {
    expect(packageToHashEarly(['plugin-verify', 'a-1.0.0.tgz'])).toBe('a-1.0.0.tgz');
    expect(packageToHashEarly(['plugin-install', './a.tgz', '--force'])).toBe('./a.tgz');
    expect(packageToHashEarly(['--home', '/tmp/h', '--json', 'plugin-verify', 'a.tgz', '--prov', 'x.prov'])).toBe('a.tgz');
  });

  it('guesses nothing for other commands, flags first, URLs, or a missing argument', () => {
    expect(packageToHashEarly(['plugin-package', 'dir'])).toBeUndefined();
    expect(packageToHashEarly(['plugin-verify', '--prov', 'x.prov', 'a.tgz'])).toBeUndefined();
    expect(packageToHashEarly(['plugin-install', 'https://example.org/a.tgz'])).toBeUndefined();
    expect(packageToHashEarly(['plugin-verify'])).toBeUndefined();
    expect(packageToHashEarly([])).toBeUndefined();
  });
});
