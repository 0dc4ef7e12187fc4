import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pm, repoRoot, tempDir } from '../helpers/pm.js';

// marketplace-add --format claude through the real bin: a Claude Code marketplace folder is read, nothing is added.
const tmp = await tempDir('pm-e2e-claude-market-');
const home = join(tmp.dir, 'home');
afterAll(() => tmp.cleanup());
const market = join(repoRoot, 'test', 'fixtures', 'claude-marketplace');

describe('pm marketplace-add --format claude', () => {
  it("lists the marketplace's MCP servers with the mcp-add line for each, adding nothing", async () => {
    const r = await pm(['marketplace-add', 'fx', market, '--format', 'claude', '--home', home]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('2 MCP servers in the Claude Code marketplace fixture-market');
    expect(r.stdout).toContain("github/github: pm mcp-add github --env 'GITHUB_TOKEN=${secret.GITHUB_TOKEN}' -- npx -y @example/github-mcp");
    expect(r.stderr).toContain('warning: skipped remote/remote: not a stdio server (no command)');
    expect(existsSync(home)).toBe(false);
  });

  it.each([
    ['a folder without marketplace.json', [join(repoRoot, 'test', 'fixtures'), '--format', 'claude'], 2, 'has no .claude-plugin/marketplace.json'],
    ['an unknown format', [market, '--format', 'vscode'], 2, 'error: --format vscode is not a marketplace format pm reads'],
  ])('refuses %s', async (_, args, code, message) => {
    const r = await pm(['marketplace-add', 'fx', ...args, '--home', home]);
    expect(r.exitCode).toBe(code);
    expect(r.stderr).toContain(message);
    expect(existsSync(home)).toBe(false);
  });
});
