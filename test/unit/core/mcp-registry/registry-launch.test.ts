import { describe, expect, it } from 'vitest';
import { registryLaunch } from '../../../../src/core/mcp-registry/registry-launch.js';

describe('registryLaunch', () => {
  it('turns secret inputs into ${secret.NAME} references and keeps fixed values and defaults', () => {
    const r = registryLaunch(
      [{ name: 'TOKEN', isSecret: true, isRequired: true }, { name: 'AUTH', value: 'Bearer {t}', variables: { t: { isSecret: true } } }, { name: 'MODE', default: 'fast' }, { name: 'REGION', isRequired: true }],
      [{ type: 'named', name: '--port', default: '80' }, { type: 'positional', value: 'serve' }, { type: 'positional', valueHint: 'dir' }],
    );
    expect(r.env).toEqual({ TOKEN: '${secret.TOKEN}', AUTH: 'Bearer ${secret.t}', MODE: 'fast' });
    expect(r.args).toEqual(['--port', '80', 'serve']);
    expect(r.notes).toEqual(['REGION is required and has no default: give it with --env REGION=<value>', 'argument dir has no value: give it with --arg']);
  });

  it('leaves out registry values that would smuggle in a pm substitution (another secret, ${dataDir})', () => {
    const r = registryLaunch(
      [{ name: 'X', value: '{a}', variables: { a: { default: '${secret.OTHER}' } } }, { name: 'Y', default: '${secret.OTHER}' }, { name: 'Z', value: '${dataDir}' }],
      [{ type: 'positional', value: '${pluginDir}/x' }],
    );
    expect(r.env).toEqual({});
    expect(r.args).toEqual([]);
  });
});
