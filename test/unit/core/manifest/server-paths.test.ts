import { describe, expect, it } from 'vitest';
import { pluginDirPaths, serverFields } from '../../../../src/core/manifest/server-paths.js';

describe('server-paths', () => {
  it('lists every string of a server block with where it is, skipping values of the wrong type', () => {
    expect(serverFields({ command: 'python3', args: ['a', 3, 'b'], env: { K: 'v', N: 1 }, cwd: '${dataDir}' })).toEqual([
      { where: 'server.command', text: 'python3' },
      { where: 'server.args[0]', text: 'a' },
      { where: 'server.args[2]', text: 'b' },
      { where: 'server.env.K', text: 'v' },
      { where: 'server.cwd', text: '${dataDir}' },
    ]);
    expect(serverFields(undefined)).toEqual([]);
    expect(serverFields(['python3'])).toEqual([]);
  });

  it('finds ${pluginDir}/ paths anywhere in a string, up to a separator', () => {
    expect(pluginDirPaths({ command: '${pluginDir}/bin/serve', args: ['--config=${pluginDir}/conf/a.json,${pluginDir}/b', '${pluginDir}', '${pluginDir}/lib/'] })).toEqual([
      { where: 'server.command', path: 'bin/serve' },
      { where: 'server.args[0]', path: 'conf/a.json' },
      { where: 'server.args[0]', path: 'b' },
      { where: 'server.args[2]', path: 'lib' },
    ]);
  });
});
