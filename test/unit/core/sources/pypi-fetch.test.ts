import { describe, expect, it } from 'vitest';
import { normalizePypiName, pypiRequirement, sdistOnlyProjects } from '../../../../src/core/sources/pypi-fetch.js';

describe('pypi-fetch', () => {
  it('normalizes names as PEP 503 does', () => {
    expect(normalizePypiName('MCP_Server..Fetch')).toBe('mcp-server-fetch');
  });

  it('builds a requirement, refusing anything pip could read as an option, URL or marker', () => {
    expect(pypiRequirement('mcp-server-fetch')).toBe('mcp-server-fetch');
    expect(pypiRequirement('mcp-server-fetch', '2025.4.7')).toBe('mcp-server-fetch==2025.4.7');
    for (const [p, v] of [['--index-url=http://x', undefined], ['x @ http://evil/x.whl', undefined], ['x', '1; python_version>"3"'], ['x', ''], ['x[extra]', undefined]] as const) {
      expect(() => pypiRequirement(p, v)).toThrow(expect.objectContaining({ code: 'PYPI_SPEC_INVALID' }));
    }
  });

  it('finds the projects pip skipped only for being source distributions, ignoring other projects\' files', () => {
    const log = [
      'Skipping link: No sources permitted for pm-sdist-only: file:///l/pm_sdist_only-1.2.0.tar.gz',
      'Skipping link: No sources permitted for pm-nope: file:///l/pm_sdist_only-1.2.0.tar.gz',
      'Skipping link: wrong project name (not pm-nope): file:///l/pm_notes_server-1.2.0-py3-none-any.whl',
    ].join('\n');
    expect(sdistOnlyProjects(log)).toEqual(['pm-sdist-only']);
  });
});
