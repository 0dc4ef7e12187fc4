import { execa } from 'execa';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../helpers/pm.js';

// npm run demo, end to end, in a fresh temporary folder (TMPDIR), with a real MCP client.
describe('npm run demo', () => {
  let t: { dir: string; cleanup: () => Promise<void> };
  let r: { stdout: string; stderr: string; exitCode?: number };
  beforeAll(async () => {
    t = await tempDir('pm-demo-test-');
    r = await execa(process.execPath, [join(repoRoot, 'scripts', 'demo.mjs')], {
      cwd: repoRoot, env: { TMPDIR: t.dir, NO_COLOR: '1' }, reject: false, timeout: 170_000,
    });
  }, 180_000);
  afterAll(() => t.cleanup());

  it('finishes with exit 0 and says what to try next', () => {
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Done in [\d.]+ s\.$/m);
    expect(r.stdout).toContain('Try next');
  });

  it('creates a plugin and passes its tests with pm plugin-test', () => {
    expect(r.stdout).toContain('✔ hello: 2 tests: 2 passed, 0 failed, 0 skipped');
  });

  it('signs every example and installs three from the signed marketplace, bringing the dependency along', () => {
    for (const p of ['http-fetch', 'notes', 'policy-guard', 'prompt-pack', 'usage-analytics']) expect(r.stdout).toContain(`signed ${p}@1.0.0`);
    expect(r.stdout).toContain('built registry pm-examples version 1');
    expect(r.stdout).toMatch(/pinned key [0-9A-F]{40}/);
    for (const p of ['notes', 'policy-guard', 'prompt-pack']) expect(r.stdout).toMatch(new RegExp(`installed ${p}@1\\.0\\.0 from examples, signed by [0-9A-F]{40}`));
    expect(r.stdout).toMatch(/installed usage-analytics@1\.0\.0 from examples \(dependency of notes@1\.0\.0\)/);
  });

  it('lists the tools and calls one tool of each plugin through the MCP client', () => {
    expect(r.stdout).toContain('tools/list: notes__add, notes__list, notes__search, notes__delete, notes__stats, policy-guard__audit, usage-analytics__report, usage-analytics__reset');
    expect(r.stdout).toContain('→ Saved note #1: Try pm');
    expect(r.stdout).toContain('→ error: notes__delete was blocked by policy-guard');
    expect(r.stdout).toMatch(/deny {2}notes\.delete \(blockTools notes\.delete\)/);
    expect(r.stdout).toMatch(/notes\.add: 1 call\(s\), 0 error\(s\)/);
    expect(r.stdout).toContain('prompt-pack__summary → Summarise the text below in one sentence.');
    expect(r.stdout).toContain('resources/read notes://1 → # Try pm');
  });

  it('prints commands shell-quoted, so a pasted line runs with the words the demo ran', async () => {
    const shown = (cmd: string) => r.stdout.split('\n').map((l) => l.trim()).find((l) => l.startsWith(`$ pm ${cmd} `))!.slice(2);
    const words = async (line: string) => (await execa('sh', ['-c', `printf '%s\\n' ${line}`])).stdout.split('\n');
    expect(await words(shown('keys-generate'))).toEqual(['pm', 'keys-generate', '--name', 'Demo Publisher', '--email', 'publisher@example.org']);
    expect(await words(shown('plugin-config'))).toEqual(['pm', 'plugin-config', 'policy-guard', 'blockTools', '["notes.delete"]']);
  });

  it('leaves nothing behind in the temporary folder', async () => {
    expect(await readdir(t.dir)).toEqual([]);
  });
});
