// pm plugin-install pypi: through the real bin, offline: wheels built in the test, served to
// pip by PIP_NO_INDEX + PIP_FIND_LINKS (pip's own configuration, which pm honours).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fixturesDir } from '../helpers/host-plugins.js';
import { pm, repoRoot, tempDir } from '../helpers/pm.js';
import { announceSkip, venvMissing } from '../helpers/python.js';

announceSkip('pm plugin-install pypi: end to end', venvMissing);

describe.skipIf(venvMissing)(venvMissing ? `pm plugin-install pypi: — SKIPPED: ${venvMissing}` : 'pm plugin-install pypi: (offline)', { timeout: 180_000 }, () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let home: string;
  let links: string;
  const wheel = (...args: string[]) => execFileSync('python3', [join(repoRoot, 'test', 'helpers', 'make-wheel.py'), join(fixturesDir, 'servers', 'pypi-notes'), links, ...args], { encoding: 'utf8' }).trim();
  // The test sdist's build backend writes this file when it runs: proof of whether package code ran.
  const marker = () => join(tmp.dir, 'sdist-build-ran');
  const run = (...args: string[]) => pm([...args, '--home', home], { cwd: tmp.dir, env: { PIP_NO_INDEX: '1', PIP_FIND_LINKS: links, PM_TEST_SDIST_MARKER: marker() }, timeout: 120_000 });
  /** PM_HOME's state and plugin folders, to show a refusal changed nothing. */
  const snapshot = async () => [await readFile(join(home, 'state.json'), 'utf8').catch(() => ''), (await readdir(join(home, 'plugins')).catch(() => [])).sort().join(',')];

  beforeAll(async () => {
    tmp = await tempDir('pm-e2e-pypi-');
    home = join(tmp.dir, 'home');
    links = join(tmp.dir, 'links');
    wheel();
    wheel('sdist', 'name=pm-sdist-only');
    wheel('wheel', 'name=pm-no-script', 'console_scripts=');
  });
  afterAll(() => tmp?.cleanup());

  it('installs the console script of a wheel as a server plugin and records where it came from', async () => {
    const r = await run('plugin-install', 'pypi:pm-notes-server', '--yes');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('pypi pm-notes-server==1.2.0, script pm-notes-server, 1 package (wheels only)');
    const [row] = JSON.parse((await run('plugin-list', '--json')).stdout);
    expect(row).toMatchObject({ name: 'pm-notes-server', version: '1.2.0', source: { type: 'pypi', spec: 'pypi:pm-notes-server', resolved: '1.2.0', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect((await run('plugin-info', 'pm-notes-server')).stdout).toContain('pypi pypi:pm-notes-server (resolved 1.2.0)');
  });

  it('plugin-test of the installed folder starts the server from its venv', async () => {
    const r = await run('plugin-test', join(home, 'plugins', 'pm-notes-server'));
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('the server started and listed 2 tools (add, echo_env)');
  });

  it('refuses a source-only package with exit 1, naming --allow-sdist, and changes nothing', async () => {
    const before = await snapshot();
    const r = await run('plugin-install', 'pypi:pm-sdist-only', '--yes');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('error: refused pypi:pm-sdist-only: pm-sdist-only has no wheel for this Python, only a source distribution, and building one runs its code');
    expect(r.stderr).toContain('hint: add --allow-sdist');
    expect(await snapshot()).toEqual(before);
    expect(existsSync(marker())).toBe(false);
  });

  it('with --allow-sdist builds it from source (its build code runs) and records that it was built', async () => {
    const r = await run('plugin-install', 'pypi:pm-sdist-only', '--allow-sdist', '--yes');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('pypi pm-sdist-only==1.2.0, script pm-notes-server, 1 package (built from source: pm-sdist-only)');
    expect(existsSync(marker())).toBe(true);
    const [row] = JSON.parse((await run('plugin-list', '--json')).stdout).filter((p: { name: string }) => p.name === 'pm-sdist-only');
    expect(row.source).toMatchObject({ type: 'pypi', allowSdist: true, packages: [{ name: 'pm-sdist-only', built: true }] });
    expect((await run('plugin-uninstall', 'pm-sdist-only')).exitCode).toBe(0);
  });

  it('refuses an unknown package and a package without a console script with exit 1, changing nothing', async () => {
    const before = await snapshot();
    const unknown = await run('plugin-install', 'pypi:pm-no-such-package==1.0.0', '--yes');
    expect(unknown.exitCode).toBe(1);
    expect(unknown.stderr).toContain('error: pip found no pm-no-such-package==1.0.0 on the configured index');
    const noScript = await run('plugin-install', 'pypi:pm-no-script', '--yes');
    expect(noScript.exitCode).toBe(1);
    expect(noScript.stderr).toContain('error: pm-no-script declares no console script, so pm has no program to run as its server');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a spec that is not a package name with exit 2', async () => {
    const r = await run('plugin-install', 'pypi:--index-url=http://127.0.0.1:1/simple', '--yes');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('is not a package name with an optional ==version');
  });

  it('plugin-update re-resolves to a newer wheel and keeps it a pypi plugin', async () => {
    wheel('wheel', 'version=1.3.0');
    const r = await run('plugin-update', 'pm-notes-server', '--yes');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('Updated pm-notes-server@1.3.0 (was 1.2.0), unsigned, enabled');
    expect(r.stderr).toContain('version: 1.2.0 → 1.3.0');
    const [row] = JSON.parse((await run('plugin-list', '--json')).stdout);
    expect(row).toMatchObject({ name: 'pm-notes-server', version: '1.3.0', source: { type: 'pypi', resolved: '1.3.0' } });
    expect(existsSync(join(home, 'plugins', 'pm-notes-server', 'venv', 'bin', 'python'))).toBe(true);
  });

  it('uninstalls it, venv and all', async () => {
    expect((await run('plugin-uninstall', 'pm-notes-server')).exitCode).toBe(0);
    expect(existsSync(join(home, 'plugins', 'pm-notes-server'))).toBe(false);
  });
});
