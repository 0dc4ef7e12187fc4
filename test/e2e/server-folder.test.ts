import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pm, tempDir } from '../helpers/pm.js';
import { announceSkip, python3Missing } from '../helpers/python.js';
import { pythonNotesCopy } from '../helpers/server-fixtures.js';

// A Python MCP server with its code in the folder goes through every author and store command
// as a module plugin does: validate (which starts it), package, sign, install, list, info, uninstall.
announceSkip('the Python server folder walk-through', python3Missing);

describe.skipIf(python3Missing)(python3Missing ? `a Python server folder — SKIPPED: ${python3Missing}` : 'a Python server folder is a first-class plugin', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let home: string;
  let src: string;
  const run = (...args: string[]) => pm([...args, '--home', home], { cwd: tmp.dir });

  beforeAll(async () => {
    tmp = await tempDir('pm-e2e-server-');
    home = join(tmp.dir, 'home');
    src = await pythonNotesCopy(join(tmp.dir, 'python-notes'));
    expect((await run('keys-generate', '--name', 'Ada', '--email', 'ada@example.org')).exitCode).toBe(0);
  });
  afterAll(() => tmp?.cleanup());

  it('validates by starting the server and comparing its tools with the declared pin', async () => {
    const ok = await run('plugin-validate', src);
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(ok.stdout).toBe('✔ python-notes@1.0.0 is valid');
    const m = JSON.parse(await readFile(join(src, 'plugin.json'), 'utf8'));
    const drifted = await pythonNotesCopy(join(tmp.dir, 'drifted'), { contributes: { tools: [m.contributes.tools[0]] } });
    const bad = await run('plugin-validate', drifted);
    expect(bad.exitCode).toBe(3);
    expect(bad.stdout + bad.stderr).toContain('the server reports tool "echo_env", which contributes.tools does not declare');
  });

  it('refuses a folder whose server does not speak MCP', async () => {
    const broken = await pythonNotesCopy(join(tmp.dir, 'broken'));
    await writeFile(join(broken, 'server.py'), 'import sys\nprint("hello, not JSON-RPC")\nsys.stderr.write("boom: no MCP here\\n")\nsys.exit(3)\n');
    const r = await run('plugin-validate', broken);
    expect(r.exitCode).toBe(3);
    expect(r.stdout + r.stderr).toMatch(/server: the server did not start and list its tools: .*boom: no MCP here/);
  });

  it('plugin-test starts the server as its smoke test, and runs test files when there are some', async () => {
    const smoke = await run('plugin-test', src);
    expect(smoke.exitCode, smoke.stderr).toBe(0);
    expect(smoke.stdout).toBe('✔ python-notes: the server started and listed 2 tools (add, echo_env); no test files (test/**/*.test.{js,mjs,ts})');
    const tested = await pythonNotesCopy(join(tmp.dir, 'tested'));
    await mkdir(join(tested, 'test'));
    // An author's test of a Python server through pmkit/testing: the real host, the server started as pm serve starts it.
    await writeFile(join(tested, 'test', 'server.test.mjs'), [
      "import assert from 'node:assert/strict';",
      "import { after, test } from 'node:test';",
      "import { fileURLToPath } from 'node:url';",
      "import { assertToolResult, createTestHost } from 'pmkit/testing';",
      "const host = await createTestHost({ plugin: fileURLToPath(new URL('..', import.meta.url)) });",
      'after(() => host.close());',
      "test('add adds', async () => assertToolResult(await host.callTool('python-notes.add', { a: 2, b: 3 }), { text: '5' }));",
      "test('its env has ${pluginDir} substituted', async () => assert.match((await host.callTool('python-notes.echo_env', { name: 'NOTES_GREETING' })).content[0].text, /^hello from \\//));",
    ].join('\n'));
    const r = await run('plugin-test', tested);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('the server started and listed 2 tools (add, echo_env)');
    expect(r.stdout).toContain('✔ python-notes: 2 tests: 2 passed, 0 failed, 0 skipped');
  });

  it('plugin-test refuses a server that does not start, with exit 3 and the reason', async () => {
    const dead = await pythonNotesCopy(join(tmp.dir, 'dead'), { contributes: {} });
    await writeFile(join(dead, 'server.py'), 'import sys\nsys.stderr.write("ImportError: no module named mcp\\n")\nsys.exit(1)\n');
    const r = await run('plugin-test', dead);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/error\s+server: the server did not start and list its tools: .*ImportError: no module named mcp/);
  });

  it('packages it deterministically, signs it, and installs the signed package', async () => {
    const a = await run('plugin-package', src, '--out', join(tmp.dir, 'a'));
    const b = await run('plugin-package', src, '--out', join(tmp.dir, 'b'));
    expect(a.exitCode, a.stderr).toBe(0);
    const tgz = join(tmp.dir, 'a', 'python-notes-1.0.0.tgz');
    expect((await readFile(tgz)).equals(await readFile(join(tmp.dir, 'b', 'python-notes-1.0.0.tgz')))).toBe(true);
    expect(b.stdout).toContain('files: 2');
    expect((await run('plugin-sign', tgz)).exitCode).toBe(0);
    const inst = await run('plugin-install', tgz);
    expect(inst.exitCode, inst.stderr).toBe(0);
    expect(inst.stdout).toMatch(/^Installed python-notes@1\.0\.0, signed by Ada <ada@example\.org> \([0-9A-F]{40}\), enabled$/);
    expect(existsSync(join(home, 'plugins', 'python-notes', 'server.py'))).toBe(true);
  });

  it('lists it and shows its declared tools in plugin-info', async () => {
    expect((await run('plugin-list')).stdout).toMatch(/python-notes\s+1\.0\.0\s+enabled\s+Ada <ada@example\.org>\s+tgz /);
    const info = JSON.parse((await run('plugin-info', 'python-notes', '--json')).stdout);
    expect(info).toMatchObject({ name: 'python-notes', version: '1.0.0', tools: [{ name: 'add' }, { name: 'echo_env' }] });
  });

  it('reinstalls it from the folder, then uninstalls it', async () => {
    const r = await run('plugin-install', src, '--force');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe('Reinstalled python-notes@1.0.0, unsigned, enabled');
    const u = await run('plugin-uninstall', 'python-notes');
    expect(u.exitCode).toBe(0);
    expect(existsSync(join(home, 'plugins', 'python-notes'))).toBe(false);
    expect((await run('plugin-list', '--json')).stdout).toBe('[]');
  });

  it('publishes the signed package to a marketplace and installs it from there', async () => {
    const site = join(tmp.dir, 'site');
    const built = await run('registry-build', join(tmp.dir, 'a'), '--out', site);
    expect(built.exitCode, built.stderr).toBe(0);
    expect((await run('marketplace-add', 'main', site, '--key', join(site, 'key.asc'))).exitCode).toBe(0);
    expect((await run('marketplace-search', 'python')).stdout).toContain('python-notes@1.0.0  [main]');
    const r = await run('marketplace-install', 'python-notes');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^installed python-notes@1\.0\.0 from main, signed by [0-9A-F]{40}$/);
    expect((await run('plugin-uninstall', 'python-notes')).exitCode).toBe(0);
  });

  it('refuses to package a folder whose .pmignore leaves out the server script', async () => {
    const ignored = await pythonNotesCopy(join(tmp.dir, 'ignored'));
    await writeFile(join(ignored, '.pmignore'), 'server.py\n');
    const r = await run('plugin-package', ignored, '--out', join(tmp.dir, 'c'));
    expect(r.exitCode).toBe(3);
    expect(r.stdout + r.stderr).toContain('server.args[0]: server.py is needed by plugin.json but is not packed');
    expect(existsSync(join(tmp.dir, 'c', 'python-notes-1.0.0.tgz'))).toBe(false);
    await rm(join(ignored, '.pmignore'));
  });
});
