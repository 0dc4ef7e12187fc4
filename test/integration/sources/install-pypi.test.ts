import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { readManifest } from '../../../src/core/manifest/read.js';
import { installPypiServer } from '../../../src/core/sources/install-pypi.js';
import { readState } from '../../../src/core/store/state.js';
import { inspectServer } from '../../../src/host/inspect-server.js';
import { fixturesDir } from '../../helpers/host-plugins.js';
import { repoRoot, tempDir } from '../../helpers/pm.js';
import { announceSkip, venvMissing } from '../../helpers/python.js';

announceSkip('the pypi: source (a venv and pip, offline from a wheel built in the test)', venvMissing);

const fixture = join(fixturesDir, 'servers', 'pypi-notes');
/** Builds a wheel (or sdist) of the pypi-notes fixture into `out` with the test's own wheel maker; returns its path. */
function makeWheel(out: string, kind: 'wheel' | 'sdist' = 'wheel', ...overrides: string[]): string {
  return execFileSync('python3', [join(repoRoot, 'test', 'helpers', 'make-wheel.py'), fixture, out, kind, ...overrides], { encoding: 'utf8' }).trim();
}

describe.skipIf(venvMissing)(venvMissing ? `pypi: source — SKIPPED: ${venvMissing}` : 'plugin-install pypi: (offline: PIP_NO_INDEX + PIP_FIND_LINKS)', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let home: string;
  let links: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    tmp = await tempDir('pm-pypi-');
    home = join(tmp.dir, 'home');
    links = join(tmp.dir, 'links');
    makeWheel(links);
    makeWheel(links, 'sdist', 'name=pm-sdist-only');
    makeWheel(links, 'wheel', 'name=pm-no-script', 'console_scripts=');
    process.env.PIP_NO_INDEX = '1';
    process.env.PIP_FIND_LINKS = links;
  });
  afterAll(async () => {
    process.env = saved;
    await tmp?.cleanup();
  });

  it('installs a wheel into a venv inside the plugin, records version and sha256, and the server runs after the move', async () => {
    const r = await installPypiServer('pm-notes-server', undefined, { home, yes: true });
    expect(r).toMatchObject({ name: 'pm-notes-server', version: '1.2.0', action: 'installed', pypi: { package: 'pm-notes-server', version: '1.2.0', script: 'pm-notes-server', packages: 1, built: [] } });
    const wheel = await readFile(join(links, 'pm_notes_server-1.2.0-py3-none-any.whl'));
    const { createHash } = await import('node:crypto');
    const sha256 = createHash('sha256').update(wheel).digest('hex');
    const dir = join(home, 'plugins', 'pm-notes-server');
    const m = await readManifest(dir);
    expect(m.source).toMatchObject({ type: 'pypi', spec: 'pypi:pm-notes-server', package: 'pm-notes-server', resolved: '1.2.0', sha256, script: 'pm-notes-server', packages: [{ name: 'pm-notes-server', version: '1.2.0', sha256 }] });
    expect(m.server).toEqual({ command: '${pluginDir}/venv/bin/python', args: ['-c', 'import sys; from pm_notes_server.main import run; sys.argv[0] = "pm-notes-server"; sys.exit(run())'] });
    expect((await readState(home)).plugins['pm-notes-server']).toMatchObject({ enabled: true, source: { type: 'pypi', resolved: '1.2.0' } });
    // Only the interpreter is left in bin/ (pip's scripts hold the staging path), and no link anywhere.
    expect((await readdir(join(dir, 'venv', 'bin'))).sort()).toEqual(expect.arrayContaining(['python']));
    expect((await readdir(join(dir, 'venv', 'bin'))).every((n) => n.startsWith('python'))).toBe(true);
    // Moved once more, it still starts: nothing in it depends on where it was built.
    const moved = join(tmp.dir, 'moved');
    await rename(dir, moved);
    try {
      const got = await inspectServer(moved, m);
      expect(got.error).toBeUndefined();
      expect(got.tools?.map((t) => t.name)).toEqual(['add', 'echo_env']);
    } finally {
      await rename(moved, dir);
    }
  });

  it('refuses a package that has only a source distribution, naming --allow-sdist, and leaves the store as it was', async () => {
    const before = await readFile(join(home, 'state.json'), 'utf8');
    await expect(installPypiServer('pm-sdist-only', undefined, { home, yes: true })).rejects.toMatchObject({
      code: 'PYPI_SDIST_ONLY', message: expect.stringContaining('pm-sdist-only has no wheel for this Python, only a source distribution'), hint: expect.stringContaining('--allow-sdist'),
    });
    expect(await readFile(join(home, 'state.json'), 'utf8')).toBe(before);
    expect(existsSync(join(home, 'plugins', 'pm-sdist-only'))).toBe(false);
  });

  it('refuses an unknown package, and a version that does not exist', async () => {
    await expect(installPypiServer('pm-no-such-package', undefined, { home, yes: true })).rejects.toMatchObject({ code: 'PYPI_NOT_FOUND', message: expect.stringContaining('pip found no pm-no-such-package on the configured index') });
    await expect(installPypiServer('pm-notes-server', '9.9.9', { home, yes: true })).rejects.toMatchObject({ code: 'PYPI_NOT_FOUND' });
    expect(existsSync(join(home, 'plugins', 'pm-no-such-package'))).toBe(false);
  });

  it('refuses a package without a console script', async () => {
    await expect(installPypiServer('pm-no-script', undefined, { home, yes: true })).rejects.toMatchObject({ code: 'PYPI_NO_SCRIPT', message: 'pm-no-script declares no console script, so pm has no program to run as its server' });
    expect(existsSync(join(home, 'plugins', 'pm-no-script'))).toBe(false);
  });

  it('refuses a spec that could reach pip as an option', async () => {
    await expect(installPypiServer('--index-url=http://evil.example/simple', undefined, { home, yes: true })).rejects.toMatchObject({ code: 'PYPI_SPEC_INVALID' });
  });
});
