import { describe, expect, it } from 'vitest';
import { npmServerSpec } from '../../../../src/core/sources/install-npm.js';

describe('npmServerSpec', () => {
  it('runs the bin with node from inside the plugin folder', () => {
    expect(npmServerSpec('@acme/srv', './dist/cli.js')).toEqual({ command: 'node', args: ['${pluginDir}/node_modules/@acme/srv/dist/cli.js'] });
  });

  it('refuses a bin that points outside its package', () => {
    expect(() => npmServerSpec('srv', '../other/x.js')).toThrow(expect.objectContaining({ code: 'NPM_NO_BIN', message: expect.stringContaining('points outside the package') }));
  });
});
