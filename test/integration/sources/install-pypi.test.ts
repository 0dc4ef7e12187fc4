import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
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
// The refusals, --allow-sdist and plugin-update go through the real bin: test/e2e/plugin-install-pypi.test.ts.

const fixture = join(fixturesDir, 'servers', 'pypi-notes');
/** Builds a wheel (or sdist) of the pypi-notes fixture into `out` with the test's own wheel maker; returns its path. */
function makeWheel(out: string, kind: 'wheel' | 'sdist' = 'wheel', ...overrides: string[]): string {
  return execFileSync('python3', [join(repoRoot, 'test', 'helpers', 'make-wheel.py'), fixture, out, kind, ...overrides], { encoding: 'utf8' }).trim();
}

describe.skipIf(venvMissing)(venvMissing ? `pypi: source — SKIPPED: ${venvMissing}` : 'plugin-install pypi: (offline: PIP_NO_INDEX + PIP_FIND_LINKS)', { timeout: 180_000 }, () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let home: string;
  let links: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    tmp = await tempDir('pm-pypi-');
    home = join(tmp.dir, 'home');
    links = join(tmp.dir, 'links');
    makeWheel(links);
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
    // Only the interpreter is left in bin/ (pip's scripts hold the staging path; python3 and python3.X are more copies).
    expect(await readdir(join(dir, 'venv', 'bin'))).toEqual(['python']);
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

  it('refuses a spec that could reach pip as an option', async () => {
    await expect(installPypiServer('--index-url=http://evil.example/simple', undefined, { home, yes: true })).rejects.toMatchObject({ code: 'PYPI_SPEC_INVALID' });
  });
});
