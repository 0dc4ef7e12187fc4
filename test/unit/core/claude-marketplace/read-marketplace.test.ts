import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readClaudeMarketplace } from '../../../../src/core/claude-marketplace/read-marketplace.js';
import { repoRoot } from '../../../helpers/pm.js';

const market = join(repoRoot, 'test', 'fixtures', 'claude-marketplace');

describe('readClaudeMarketplace', () => {
  it("lists the stdio servers of the plugins (.mcp.json and inline), env as pm secrets, the plugin root as its folder", async () => {
    const r = await readClaudeMarketplace(market);
    expect(r.name).toBe('fixture-market');
    const weatherDir = join(market, 'plugins', 'weather');
    expect(r.servers).toEqual([
      { plugin: 'weather', server: 'weather', command: 'node', args: [`${weatherDir}/server.js`, '--units', 'metric'], env: { API_KEY: '${secret.WEATHER_API_KEY}' },
        mcpAdd: `pm mcp-add weather --env 'API_KEY=\${secret.WEATHER_API_KEY}' -- node ${weatherDir}/server.js --units metric` },
      { plugin: 'github', server: 'github', command: 'npx', args: ['-y', '@example/github-mcp'], env: { GITHUB_TOKEN: '${secret.GITHUB_TOKEN}' },
        mcpAdd: "pm mcp-add github --env 'GITHUB_TOKEN=${secret.GITHUB_TOKEN}' -- npx -y @example/github-mcp" },
    ]);
    expect(r.skipped).toEqual(['remote/remote: not a stdio server (no command)']);
  });

  it('refuses a folder that is not a Claude Code marketplace', async () => {
    await expect(readClaudeMarketplace(join(market, 'plugins'))).rejects.toMatchObject({ code: 'CLAUDE_MARKETPLACE_INVALID' });
  });
});
