// pm profile-set/list/show/remove through the real bin, and pm serve --mcp --profile under a
// real SDK Client over stdio: the profile hides what it should, an unknown profile is refused.
import { execa } from 'execa';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectStdio, homeWithPlugins } from '../helpers/serve.js';
import { pm, pmBin, repoRoot, tempDir } from '../helpers/pm.js';
import { makePin, writePin } from '../../src/core/store/pins.js';

const tmp = await tempDir('pm-profile-e2e-');
let home: string;
beforeAll(async () => {
  home = await homeWithPlugins(tmp.dir, ['echo', 'guard', 'greeter']);
}, 60_000);
afterAll(() => tmp.cleanup());

describe('pm profile-*', () => {
  it('saves, lists and shows a profile with its context cost per plugin and in total', async () => {
    const set = await pm(['profile-set', 'small', '--plugins', 'echo,greeter', '--tools', 'echo.echo,echo.count', '--home', home]);
    expect(set.exitCode, set.stderr).toBe(0);
    expect(set.stdout).toContain('saved profile small: plugins echo, greeter; tools echo.echo, echo.count');
    expect((await pm(['profile-list', '--home', home])).stdout).toMatch(/^small\s+plugins echo, greeter/m);

    const show = await pm(['profile-show', 'small', '--json', '--home', home]);
    expect(show.exitCode).toBe(0);
    const v = JSON.parse(show.stdout);
    expect(v.served).toEqual([{ plugin: 'echo', tools: ['echo.echo', 'echo.count'] }, { plugin: 'greeter', tools: [] }]);
    expect(v.cost.total.tools).toBe(2);
    expect(v.cost.total.tokens).toBeGreaterThan(0);
    expect(v.cost.plugins[0]).toMatchObject({ plugin: 'echo', tools: 2 });

    const human = await pm(['profile-show', 'small', '--home', home]);
    expect(human.stdout).toMatch(/echo\s+2 tools, ~\d+ tokens: echo, count/);
    expect(human.stdout).toMatch(/total\s+2 tools, ~\d+ tokens \(estimate/);
  });

  it('plugin-info shows the context cost of a plugin\'s tools', async () => {
    const r = await pm(['plugin-info', 'echo', '--home', home]);
    expect(r.stdout).toMatch(/context: {4}5 tools, ~\d+ tokens in tools\/list \(estimate\)/);
    const j = JSON.parse((await pm(['plugin-info', 'echo', '--json', '--home', home])).stdout);
    expect(j.contextCost).toEqual({ tools: 5, tokens: expect.any(Number) });
  });

  it('warns about named plugins that are not installed and globs that match nothing', async () => {
    await pm(['profile-set', 'ghosts', '--plugins', 'echo,ghost', '--tools', 'echo.nothing*', '--home', home]);
    const r = await pm(['profile-show', 'ghosts', '--home', home]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('warning: profile ghosts names plugin ghost, which is not installed');
    expect(r.stderr).toContain("warning: profile ghosts: 'echo.nothing*' matches no tool of its plugins");
  });

  it('refuses bad input with exit 2 and changes nothing', async () => {
    const before = (await pm(['profile-list', '--json', '--home', home])).stdout;
    const cases: [string[], string][] = [
      [['profile-set', 'Bad_Name', '--plugins', 'echo'], "error: 'Bad_Name' is not a profile name"],
      [['profile-set', 'x'], 'error: a profile needs --plugins, --tools or both'],
      [['profile-set', 'x', '--tools', 'echo'], "error: 'echo' in --tools matches no tool"],
      [['profile-show', 'nope'], 'error: no profile named nope'],
      [['profile-remove', 'nope'], 'error: no profile named nope'],
    ];
    for (const [args, message] of cases) {
      const r = await pm([...args, '--home', home]);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
    }
    expect((await pm(['profile-list', '--json', '--home', home])).stdout).toBe(before);
  });

  it('profile-remove deletes one', async () => {
    await pm(['profile-set', 'temp', '--plugins', 'echo', '--home', home]);
    const r = await pm(['profile-remove', 'temp', '--home', home]);
    expect(r.stdout).toBe('removed profile temp');
    expect((await pm(['profile-list', '--home', home])).stdout).not.toMatch(/^temp/m);
  });
});

describe('pm serve --mcp --profile', () => {
  it('serves only the profile\'s tools and the prompts and resources of its plugins; others cannot be called', async () => {
    await pm(['profile-set', 'echo-only', '--tools', 'echo.echo', '--home', home]);
    const s = await connectStdio(home, ['--profile', 'echo-only']);
    try {
      expect((await s.client.listTools()).tools.map((t) => t.name)).toEqual(['echo__echo']);
      expect((await s.client.listPrompts()).prompts).toEqual([]);
      expect((await s.client.listResources()).resources.map((r) => r.uri)).toEqual(['echo://about']);
      const ok = await s.client.callTool({ name: 'echo__echo', arguments: { text: 'hi' } });
      expect(ok.isError).toBeFalsy();
      await expect(s.client.callTool({ name: 'echo__count', arguments: {} })).rejects.toThrow(/Unknown tool: echo__count/);
    } finally {
      await s.close();
    }
  });

  it('refuses an unknown profile before serving (exit 2), starting nothing', async () => {
    const log = join(home, 'logs', 'serve.log');
    const before = await readFile(log, 'utf8').catch(() => '');
    const r = await execa(process.execPath, [pmBin, 'serve', '--mcp', '--profile', 'nope', '--home', home], { reject: false, input: '', env: { NO_COLOR: '1' } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: no profile named nope');
    expect(r.stderr).toMatch(/hint: (known profiles|make one with)/);
    expect(r.stdout).toBe('');
    // Nothing was served: the serve log has no new line.
    expect(await readFile(log, 'utf8').catch(() => '')).toBe(before);
  });
});

describe('pm serve --mcp --profile with a server plugin', () => {
  it('hides the server\'s tools the profile leaves out, and refuses calls to them', async () => {
    const dir = join(tmp.dir, 'steer');
    await cp(join(repoRoot, 'test', 'fixtures', 'servers', 'steerable'), dir, { recursive: true });
    const m = JSON.parse(await readFile(join(dir, 'plugin.json'), 'utf8'));
    await writeFile(join(dir, 'plugin.json'), JSON.stringify({ ...m, name: 'steer' }));
    expect((await pm(['plugin-install', dir, '--home', home])).exitCode).toBe(0);
    await writePin(home, makePin('steer', '1.0.0', ['echo', 'env'].map((t) => ({ name: t, description: `the ${t} tool`, inputSchema: { type: 'object' } }))));
    await pm(['profile-set', 'steer-echo', '--tools', 'steer.echo', '--home', home]);
    const v = JSON.parse((await pm(['profile-show', 'steer-echo', '--json', '--home', home])).stdout);
    expect(v.served).toEqual([{ plugin: 'steer', tools: ['steer.echo'] }]);
    const s = await connectStdio(home, ['--profile', 'steer-echo']);
    try {
      expect((await s.client.listTools()).tools.map((t) => t.name)).toEqual(['steer__echo']);
      const r = await s.client.callTool({ name: 'steer__echo', arguments: { text: 'from the server' } });
      expect((r as { content: { text: string }[] }).content[0]!.text).toBe('from the server');
      await expect(s.client.callTool({ name: 'steer__env', arguments: {} })).rejects.toThrow(/Unknown tool: steer__env/);
    } finally {
      await s.close();
    }
  });
});
