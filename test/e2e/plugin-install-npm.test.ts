import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { pm, tempDir } from '../helpers/pm.js';
import { npmFixture, npmPack, startNpmRegistry, type NpmRegistry } from '../helpers/npm-registry.js';
import { connectStdio } from '../helpers/serve.js';

// npm: through the real bin and the user's real npm, against a registry on 127.0.0.1 (no network).
const tmp = await tempDir('pm-e2e-npm-');
const home = join(tmp.dir, 'home');
let registry: NpmRegistry;
const marker = join(tmp.dir, 'POSTINSTALL_RAN');
const run = (...args: string[]) => pm([...args, '--home', home], { cwd: tmp.dir, env: { ...registry.env, PM_TEST_MARKER: marker }, timeout: 120_000 });

/** The store's files, to prove a refusal changed nothing. */
async function storeSnapshot(): Promise<string> {
  if (!existsSync(home)) return '(no home)';
  const state = existsSync(join(home, 'state.json')) ? await readFile(join(home, 'state.json'), 'utf8') : '(no state)';
  const plugins = existsSync(join(home, 'plugins')) ? (await readdir(join(home, 'plugins'))).join(',') : '';
  return `${state}\n${plugins}`;
}

beforeAll(async () => {
  registry = await startNpmRegistry(join(tmp.dir, 'registry'));
  await registry.publish(npmFixture('echo-server'));
  await registry.publish(npmFixture('postinstall-server'));
  await registry.publish(npmFixture('no-bin'));
  await registry.publish(npmFixture('two-bins'));
  // A package that is fine itself but depends on one with a postinstall script.
  const wrapper = join(tmp.dir, 'wrapper');
  await mkdir(wrapper, { recursive: true });
  await writeFile(join(wrapper, 'package.json'), JSON.stringify({ name: 'wrapper-server', version: '1.0.0', bin: 'server.js', dependencies: { 'postinstall-server': '^1.0.0' } }));
  await writeFile(join(wrapper, 'server.js'), '');
  await registry.publish(wrapper);
}, 120_000);
afterAll(async () => {
  await registry?.close();
  await tmp.cleanup();
});

describe('pm plugin-install npm:', () => {
  it('installs a package from the registry as a server plugin, recording version and integrity', async () => {
    const r = await run('plugin-install', 'npm:@fixture/echo-server@^1.0.0', '--arg', '${dataDir}', '--env', 'UNITS=metric', '--yes');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('Installed echo-server@1.0.0, unsigned, enabled');
    expect(r.stdout).toContain('npm @fixture/echo-server@1.0.0, bin echo-server, 1 package (install scripts off)');
    expect(r.stderr).toContain('echo-server@1.0.0 (npm server plugin) will run:');
    expect(r.stderr).toContain(`  node '\${pluginDir}/node_modules/@fixture/echo-server/server.js' '\${dataDir}'\n  env UNITS=(hidden)`);
    const m = JSON.parse(await readFile(join(home, 'plugins', 'echo-server', 'plugin.json'), 'utf8'));
    expect(m).toMatchObject({
      name: 'echo-server', version: '1.0.0', license: 'MIT',
      server: { command: 'node', args: ['${pluginDir}/node_modules/@fixture/echo-server/server.js', '${dataDir}'], env: { UNITS: 'metric' } },
      source: { type: 'npm', spec: 'npm:@fixture/echo-server@^1.0.0', package: '@fixture/echo-server', resolved: '1.0.0', integrity: expect.stringMatching(/^sha512-/), bin: 'echo-server' },
    });
    const state = JSON.parse(await readFile(join(home, 'state.json'), 'utf8'));
    expect(state.plugins['echo-server'].source).toEqual(m.source);
  });

  it('installs a server whose command really speaks MCP (initialize and tools/call over stdio)', async () => {
    const dir = join(home, 'plugins', 'echo-server');
    const m = JSON.parse(await readFile(join(dir, 'plugin.json'), 'utf8'));
    const args = (m.server.args as string[]).map((a) => a.replace('${pluginDir}', dir).replace('${dataDir}', join(home, 'data', 'echo-server')));
    const input = [
      { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } },
    ].map((x) => JSON.stringify(x)).join('\n');
    const r = await execa(process.execPath, args, { input: `${input}\n`, cwd: dir });
    const [init, call] = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(init.result.serverInfo.name).toBe('echo-server');
    expect(call.result.content[0].text).toBe(`hi (args: ${join(home, 'data', 'echo-server')})`);
  });

  it('serves its tool through pm serve --mcp to a real MCP client', async () => {
    const s = await connectStdio(home);
    try {
      const { tools } = await s.client.listTools();
      expect(tools.map((t) => t.name), s.stderr()).toContain("echo-server__echo");
      const r = await s.client.callTool({ name: 'echo-server__echo', arguments: { text: 'through pm' } });
      expect(r.isError, JSON.stringify(r)).toBeFalsy();
      expect((r.content as { text: string }[])[0]!.text).toMatch(/^through pm \(args: .*data\/echo-server\)$/);
    } finally {
      await s.close();
    }
  }, 60_000);

  it('lists it as an npm plugin', async () => {
    const [row] = JSON.parse((await run('plugin-list', '--json')).stdout);
    expect(row).toMatchObject({ name: 'echo-server', source: { type: 'npm' } });
  });

  it('refuses the same name again (pointing at plugin-update), leaving the store as it was', async () => {
    const before = await storeSnapshot();
    const r = await run('plugin-install', 'npm:@fixture/echo-server', '--yes');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('error: a plugin named "echo-server" is already installed\nhint: to update it: pm plugin-update echo-server; to install this one beside it: --name <other>');
    expect(await storeSnapshot()).toBe(before);
  });

  it('updates within the recorded range, showing the version change before applying it, and keeps the flags', async () => {
    await registry.publish(npmFixture('echo-server'), '1.1.0');
    await registry.publish(npmFixture('echo-server'), '2.0.0');
    const r = await run('plugin-update', 'echo-server', '--yes');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('version: 1.0.0 → 1.1.0');
    expect(r.stderr).toContain('permissions: unchanged');
    expect(r.stderr).toContain("tools: 1 pinned; if 1.1.0 reports other tools, pm keeps serving the pinned ones until 'pm plugin-tools-accept echo-server'");
    expect(r.stdout).toContain('Updated echo-server@1.1.0 (was 1.0.0)');
    const m = JSON.parse(await readFile(join(home, 'plugins', 'echo-server', 'plugin.json'), 'utf8'));
    expect(m.server).toEqual({ command: 'node', args: ['${pluginDir}/node_modules/@fixture/echo-server/server.js', '${dataDir}'], env: { UNITS: 'metric' } });
    expect(m.source).toMatchObject({ spec: 'npm:@fixture/echo-server@^1.0.0', resolved: '1.1.0' });
  });

  it('says an npm plugin is up to date when its range has nothing newer', async () => {
    const r = await run('plugin-update', 'echo-server', '--yes');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe('echo-server@1.1.0 is up to date (npm:@fixture/echo-server@^1.0.0)');
  });

  it('refuses an update without a terminal and without --yes, after showing the change', async () => {
    await registry.publish(npmFixture('echo-server'), '1.2.0');
    const before = await storeSnapshot();
    const r = await run('plugin-update', 'echo-server');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('version: 1.1.0 → 1.2.0');
    expect(r.stderr).toContain('hint: read the permissions shown, then run again with --yes');
    expect(await storeSnapshot()).toBe(before);
  });

  it('installs from a local tarball made by npm pack, offline', async () => {
    const t = await npmPack(npmFixture('two-bins'), join(tmp.dir, 'packs'));
    const r = await pm(['plugin-install', `npm:${t.file}`, '--bin', 'tb-server', '--name', 'two', '--yes', '--home', home], { cwd: tmp.dir, env: { npm_config_offline: 'true', npm_config_cache: join(tmp.dir, 'offline-cache') } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('Installed two@1.0.0');
    const m = JSON.parse(await readFile(join(home, 'plugins', 'two', 'plugin.json'), 'utf8'));
    expect(m.server.args).toEqual(['${pluginDir}/node_modules/two-bins/server.js']);
  });
});

describe('pm plugin-install npm: refusals (store unchanged)', () => {
  const refusals: [string, string[], number, RegExp][] = [
    ['an unknown source prefix', ['plugin-install', 'xyz:thing'], 2, /error: "xyz:" is not a source pm knows.*\nhint: known prefixes: npm:<package>\[@<range>\], pypi:<package>\[==<version>\]/],
    ['a package with a postinstall script', ['plugin-install', 'npm:postinstall-server', '--yes'], 1, /error: refused npm:postinstall-server: postinstall-server@1\.0\.0 needs an install script \(postinstall: .*\), and pm installs with scripts off/],
    ['a dependency with a postinstall script, naming the dependency', ['plugin-install', 'npm:wrapper-server', '--yes'], 1, /error: refused npm:wrapper-server: postinstall-server@1\.0\.0 needs an install script/],
    ['a package without a bin', ['plugin-install', 'npm:no-bin-library', '--yes'], 1, /error: no-bin-library declares no bin, so pm has no program to run as its server/],
    ['several bins and no --bin, listing them', ['plugin-install', 'npm:two-bins', '--yes'], 1, /error: two-bins has several bins and none is named like the package \(its bins: tb-cli, tb-server\)\nhint: say which one runs the server with --bin/],
    ['a --bin the package does not have', ['plugin-install', 'npm:two-bins', '--bin', 'nope', '--yes'], 1, /error: two-bins has no bin named "nope" \(its bins: tb-cli, tb-server\)/],
    ['a bad --env', ['plugin-install', 'npm:@fixture/echo-server', '--name', 'other', '--env', 'NOEQUALS', '--yes'], 2, /error: --env "NOEQUALS" is not KEY=VALUE/],
    ['a package name that makes no plugin name', ['plugin-install', 'npm:@fixture/echo-server', '--name', 'Bad Name', '--yes'], 2, /error: --name "Bad Name" is not a plugin name/],
    ['a package the registry does not have', ['plugin-install', 'npm:@fixture/missing', '--yes'], 1, /error: npm could not install @fixture\/missing: .*404/],
    ['flags that mean nothing for a folder', ['plugin-install', '.', '--env', 'A=1'], 2, /error: --name, --bin, --allow-sdist, --env, --arg and --allow-\* apply to npm: and pypi: sources/],
    ['no --yes and no terminal', ['plugin-install', 'npm:@fixture/echo-server', '--name', 'echo-two'], 2, /echo-two@1\.2\.0 \(npm server plugin\) will run:[\s\S]*error: installing echo-two needs its permissions accepted, and there is no terminal to ask on\nhint: read the permissions shown, then run again with --yes/],
  ];
  it.each(refusals)('refuses %s', async (_, args, code, message) => {
    const before = await storeSnapshot();
    const r = await run(...args);
    expect(r.exitCode, r.stderr).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(await storeSnapshot()).toBe(before);
    expect(existsSync(marker)).toBe(false); // the install script never ran
  });
});
