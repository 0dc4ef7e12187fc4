import { describe, expect, it } from 'vitest';
import { mcpbManifestOf } from '../../../../src/core/pack/write-mcpb.js';
import type { Manifest } from '../../../../src/core/manifest/types.js';

const server = (over: Partial<Manifest> = {}): Manifest => ({
  name: 'weather', version: '2.0.0', description: 'Weather', author: 'Ann <ann@example.org>', license: 'MIT',
  server: { command: 'node', args: ['${pluginDir}/dist/server.js', '--units=${config.units}'], env: { API_KEY: '${secret.WEATHER_KEY}' } },
  config: { type: 'object', properties: { units: { type: 'string', title: 'Units', description: 'metric or imperial', default: 'metric' }, days: { type: 'integer', minimum: 1, maximum: 7 } }, required: ['days'] },
  contributes: { tools: [{ name: 'forecast', description: 'Forecast', inputSchema: { type: 'object' } }] },
  ...over,
});

describe('mcpbManifestOf', () => {
  it('maps a server plugin onto a 0.3 bundle manifest: substitutions, user_config (secrets sensitive), tools, type and entry point', () => {
    expect(mcpbManifestOf(server())).toEqual({
      manifest_version: '0.3', name: 'weather', version: '2.0.0', description: 'Weather', author: { name: 'Ann' }, license: 'MIT',
      server: { type: 'node', entry_point: 'dist/server.js', mcp_config: { command: 'node', args: ['${__dirname}/dist/server.js', '--units=${user_config.units}'], env: { API_KEY: '${user_config.weather_key}' } } },
      tools: [{ name: 'forecast', description: 'Forecast' }],
      user_config: {
        units: { type: 'string', title: 'Units', description: 'metric or imperial', default: 'metric' },
        days: { type: 'number', title: 'days', description: 'days', required: true, min: 1, max: 7 },
        weather_key: { type: 'string', title: 'WEATHER_KEY', description: 'the secret WEATHER_KEY', sensitive: true, required: true },
      },
    });
  });

  it('says binary for another command, and refuses ${dataDir} and module plugins', () => {
    expect((mcpbManifestOf(server({ server: { command: '${pluginDir}/bin/srv' } })).server as { type: string; entry_point: string })).toMatchObject({ type: 'binary', entry_point: 'bin/srv' });
    expect(() => mcpbManifestOf(server({ server: { command: 'node', args: ['${dataDir}/x'] } }))).toThrow(expect.objectContaining({ code: 'MCPB_EXPORT_UNSUPPORTED' }));
    expect(() => mcpbManifestOf({ name: 'm', version: '1.0.0', description: 'd', main: 'index.js' })).toThrow('m is not a server plugin');
  });
});
