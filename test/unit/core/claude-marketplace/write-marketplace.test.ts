import { afterAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeClaudeMarketplace } from '../../../../src/core/claude-marketplace/write-marketplace.js';
import type { RegistryIndex } from '../../../../src/core/index-format/types.js';
import { tempDir } from '../../../helpers/pm.js';

const tmp = await tempDir('pm-claude-market-');
afterAll(() => tmp.cleanup());

const index = {
  schemaVersion: 1, name: 'acme', url: 'https://plugins.acme.example/', version: 7, generatedAt: '2026-12-01T00:00:00Z', expires: null,
  plugins: {
    weather: { description: 'Forecasts', author: 'Ada', categories: ['data'], tags: ['weather'], latest: '1.2.0', versions: {} },
  },
} as unknown as RegistryIndex;

describe('writeClaudeMarketplace', () => {
  it('writes a marketplace.json whose plugins run through pm serve --profile, with the setup in each README', async () => {
    const files = await writeClaudeMarketplace(tmp.dir, index);
    expect(files).toEqual(['.claude-plugin/marketplace.json', 'claude-plugins/weather/.claude-plugin/plugin.json', 'claude-plugins/weather/.mcp.json', 'claude-plugins/weather/README.md']);
    const read = async (f: string) => JSON.parse(await readFile(join(tmp.dir, f), 'utf8'));
    expect(await read('.claude-plugin/marketplace.json')).toEqual({
      name: 'acme', owner: { name: 'acme' }, metadata: { description: 'pm plugins of the acme registry, served through pm', version: '7' },
      plugins: [{ name: 'weather', source: './claude-plugins/weather', description: 'Forecasts', version: '1.2.0', author: { name: 'Ada' }, category: 'data', keywords: ['weather'] }],
    });
    expect(await read('claude-plugins/weather/.claude-plugin/plugin.json')).toEqual({ name: 'weather', version: '1.2.0', description: 'Forecasts', author: { name: 'Ada' }, keywords: ['weather'] });
    expect(await read('claude-plugins/weather/.mcp.json')).toEqual({ mcpServers: { weather: { command: 'pm', args: ['serve', '--mcp', '--profile', 'weather'] } } });
    const readme = await readFile(join(tmp.dir, 'claude-plugins/weather/README.md'), 'utf8');
    expect(readme).toContain('pm marketplace-add acme https://plugins.acme.example/ --key key.asc');
    expect(readme).toContain('pm marketplace-install weather\npm profile-set weather --plugins weather');
  });
});
