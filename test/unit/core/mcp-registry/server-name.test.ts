import { describe, expect, it } from 'vitest';
import { githubOf, serverJsonName } from '../../../../src/core/mcp-registry/server-name.js';
import type { Manifest } from '../../../../src/core/manifest/types.js';

const m = (extra: Record<string, unknown>) => ({ name: 'weather', version: '1.0.0', description: 'x', ...extra }) as unknown as Manifest;

describe('serverJsonName', () => {
  it.each([
    ['a repository URL', { repository: 'https://github.com/Ada-L/weather-mcp.git' }, 'io.github.Ada-L/weather'],
    ['a repository object (npm style, git+ URL)', { repository: { type: 'git', url: 'git+https://github.com/ada/w.git' } }, 'io.github.ada/weather'],
    ['a github: shorthand', { repository: 'github:ada/w' }, 'io.github.ada/weather'],
    ['an scp-style git URL', { repository: 'git@github.com:ada/w.git' }, 'io.github.ada/weather'],
    ["the author's URL", { author: 'Ada <ada@example.org> (https://github.com/ada)' }, 'io.github.ada/weather'],
    ['the homepage', { homepage: 'https://github.com/ada/w#readme' }, 'io.github.ada/weather'],
  ])('derives io.github.<owner>/<plugin> from %s', (_, extra, want) => {
    expect(serverJsonName(m(extra))).toBe(want);
  });

  it('takes --name as given when it is reverse-DNS with one slash', () => {
    expect(serverJsonName(m({}), 'com.example/weather')).toBe('com.example/weather');
  });

  it('ignores hosts that only end in github.com', () => {
    expect(githubOf(m({ repository: 'https://notgithub.com/ada/w' }))).toBeUndefined();
  });

  it('refuses without a name or a GitHub URL, with the flag to give', () => {
    expect(() => serverJsonName(m({ repository: 'https://gitlab.com/ada/w' }))).toThrow(expect.objectContaining({ code: 'EXPORT_NAME_MISSING', hint: expect.stringContaining('--name io.github.<owner>/weather') }));
  });
});
