import { describe, expect, it } from 'vitest';
import { environmentVariables, inputOf, packageArguments, type Dropped } from '../../../../src/core/mcp-registry/server-inputs.js';
import type { Manifest } from '../../../../src/core/manifest/types.js';

const m = { name: 'w', version: '1.0.0', description: 'x', config: { type: 'object', properties: { port: { type: 'integer', default: 8080 }, debug: { type: 'boolean' } } } } as Manifest;

describe('inputOf', () => {
  it('never carries a secret value, only that one is needed', () => {
    expect(inputOf(m, '${secret.TOKEN}')).toEqual({ description: 'pm secret TOKEN', isRequired: true, isSecret: true });
  });
  it('maps config types and defaults to format and default', () => {
    expect(inputOf(m, '${config.port}')).toEqual({ format: 'number', default: '8080' });
    expect(inputOf(m, '${config.debug}')).toEqual({ format: 'boolean' });
  });
  it('leaves out strings that use ${pluginDir} or ${dataDir}', () => {
    expect(inputOf(m, '${dataDir}/x')).toBeUndefined();
    expect(inputOf(m, 'x=${pluginDir}')).toBeUndefined();
  });
});

describe('packageArguments and environmentVariables', () => {
  it('pairs --flag value into named arguments and records what was left out', () => {
    const dropped: Dropped[] = [];
    const server = { command: 'node', args: ['launcher', '--port', '${config.port}', '-v', 'serve', '--root', '${dataDir}', 'extra'], env: { HOME_DIR: '${pluginDir}', A: 'b' } };
    const mm = { ...m, server } as Manifest;
    expect(packageArguments(mm, 1, dropped)).toEqual([
      { type: 'named', name: '--port', format: 'number', default: '8080' },
      { type: 'named', name: '-v', value: 'serve' },
      { type: 'positional', value: 'extra' },
    ]);
    expect(environmentVariables(mm, dropped)).toEqual([{ name: 'A', default: 'b' }]);
    expect(dropped.map((d) => d.where)).toEqual(['server.args[5..6]', 'server.env.HOME_DIR']);
  });
});
