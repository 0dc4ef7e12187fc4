import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pm, tempDir } from '../helpers/pm.js';
import { runPmOnPty } from '../helpers/pty.js';
import { npmFixture } from '../helpers/npm-registry.js';
import { connectStdio } from '../helpers/serve.js';

// mcp-add through the real bin: a program the user already has becomes a local server plugin.
const tmp = await tempDir('pm-e2e-mcp-add-');
const home = join(tmp.dir, 'home');
// PM_HOME, not --home: everything after -- belongs to the server's command line.
const run = (...args: string[]) => pm(args, { cwd: tmp.dir, env: { PM_HOME: home } });
afterAll(() => tmp.cleanup());

const state = async () => (existsSync(join(home, 'state.json')) ? readFile(join(home, 'state.json'), 'utf8') : '(none)');

describe('pm mcp-add', () => {
  it('registers a local command as an unsigned server plugin after showing its permissions', async () => {
    const r = await run('mcp-add', 'weather', '--env', 'API_KEY=${secret.WEATHER_KEY}', '--allow-net', 'api.weather.example', '--yes', '--', 'python3', './weather.py', '--units', 'metric');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe('Installed weather@0.0.0, unsigned, enabled');
    expect(r.stderr).toContain(`weather@0.0.0 (local server plugin) will run:\n  python3 ${join(tmp.dir, 'weather.py')} --units metric\n  env API_KEY=\${secret.WEATHER_KEY}\nPermissions:`);
    expect(r.stderr).toMatch(/\n  network .*api\.weather\.example/);
    const m = JSON.parse(await readFile(join(home, 'plugins', 'weather', 'plugin.json'), 'utf8'));
    expect(m).toMatchObject({
      server: { command: 'python3', args: [join(tmp.dir, 'weather.py'), '--units', 'metric'], env: { API_KEY: '${secret.WEATHER_KEY}' } },
      source: { type: 'local' }, permissions: { network: ['api.weather.example'] },
    });
  });

  it('is shown as local in plugin-list and plugin-info', async () => {
    expect((await run('plugin-list')).stdout).toMatch(/weather\s+0\.0\.0\s+enabled\s+unsigned\s+local python3 /);
    expect((await run('plugin-info', 'weather')).stdout).toContain(`source:     local command python3 ${join(tmp.dir, 'weather.py')} --units metric (mcp-add)`);
  });

  const refusals: [string, string[], number, string][] = [
    ['a taken name', ['mcp-add', 'weather', '--yes', '--', 'python3', 'x.py'], 1, `error: a plugin named "weather" is already installed\nhint: choose another name, or remove it first with 'pm plugin-uninstall weather'`],
    ['a command without --', ['mcp-add', 'other', '--yes', 'python3', 'x.py'], 2, "error: mcp-add other: the server's command must follow --"],
    ['an empty command', ['mcp-add', 'other', '--yes', '--'], 2, 'error: mcp-add other: no command after --'],
    ['a bad --env', ['mcp-add', 'other', '--env', '1BAD=x', '--yes', '--', 'cat'], 2, 'error: --env "1BAD=x" is not KEY=VALUE'],
    ['an invalid name', ['mcp-add', 'Other', '--yes', '--', 'cat'], 2, 'error: "Other" is not a plugin name'],
    ['an update by re-resolving (a local plugin has no spec)', ['plugin-update', 'weather', '--yes'], 2, "error: weather was installed from local, not from npm: or pypi:, so there is nothing to re-resolve\nhint: give the new version: pm plugin-update weather <dir|tgz|url>"],
    ['no --yes without a terminal', ['mcp-add', 'other', '--', 'cat'], 2, 'error: installing other needs its permissions accepted, and there is no terminal to ask on\nhint: read the permissions shown, then run again with --yes'],
  ];
  it.each(refusals)('refuses %s, leaving the store as it was', async (_, args, code, message) => {
    const before = await state();
    const r = await run(...args);
    expect(r.exitCode, r.stderr).toBe(code);
    expect(r.stderr).toContain(message);
    expect(await state()).toBe(before);
    expect(existsSync(join(home, 'plugins', 'other'))).toBe(false);
  });

  it('asks on a terminal: no installs nothing, yes installs', async () => {
    const no = runPmOnPty(['mcp-add', 'asked', '--', 'cat'], { cwd: tmp.dir, env: { PM_HOME: home } });
    try {
      await no.expect('Install asked with these permissions?');
      no.type('n\r');
      await no.expect('asked was not installed: the permissions were not accepted');
      expect(await no.exited).toBe(1);
    } finally {
      no.kill();
    }
    expect(existsSync(join(home, 'plugins', 'asked'))).toBe(false);
    const yes = runPmOnPty(['mcp-add', 'asked', '--', 'cat'], { cwd: tmp.dir, env: { PM_HOME: home } });
    try {
      await yes.expect('Install asked with these permissions?');
      yes.type('y\r');
      await yes.expect('Installed asked@0.0.0, unsigned, enabled');
      expect(await yes.exited).toBe(0);
    } finally {
      yes.kill();
    }
  });

  it('serves the added program\'s tools through pm serve --mcp', async () => {
    const own = join(tmp.dir, 'served-home');
    const add = await pm(['mcp-add', 'local-echo', '--yes', '--', 'node', join(npmFixture('echo-server'), 'server.js'), 'extra'], { cwd: tmp.dir, env: { PM_HOME: own } });
    expect(add.exitCode, add.stderr).toBe(0);
    const s = await connectStdio(own);
    try {
      const { tools } = await s.client.listTools();
      expect(tools.map((t) => t.name), s.stderr()).toEqual(['local-echo__echo']);
      const r = await s.client.callTool({ name: 'local-echo__echo', arguments: { text: 'hi' } });
      expect(r.content).toEqual([{ type: 'text', text: 'hi (args: extra)' }]);
    } finally {
      await s.close();
    }
  }, 60_000);
});
