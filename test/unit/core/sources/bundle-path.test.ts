import { describe, expect, it } from 'vitest';
import { isBundlePath } from '../../../../src/core/sources/bundle-path.js';

describe('isBundlePath', () => {
  it('takes .mcpb and .dxt files and http(s) URLs whose path ends so, and nothing else', () => {
    expect(['./x.mcpb', 'X.DXT', 'https://e.org/a/b.mcpb?sig=1', 'http://e.org/x.dxt'].map(isBundlePath)).toEqual([true, true, true, true]);
    expect(['./x.tgz', 'npm:x.mcpb-tools', 'https://e.org/x.tgz?f=.mcpb', 'https://[bad/x.mcpb'].map(isBundlePath)).toEqual([false, false, false, false]);
  });
});
