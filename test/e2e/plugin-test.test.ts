import { cp, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pm, repoRoot, tempDir } from '../helpers/pm.js';

const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', name);

interface Json { ok: boolean; name: string; files: string[]; counts: { tests: number; pass: number; fail: number; skipped: number }; exitCode: number }

describe('pm plugin-test on the example plugins', () => {
  const examples = ['http-fetch', 'notes', 'policy-guard', 'prompt-pack', 'usage-analytics'];
  it.concurrent.each(examples)('%s: validation and every test pass', async (name) => {
    const r = await pm(['plugin-test', join('plugins-examples', name), '--json'], { timeout: 120_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as Json;
    expect(j.ok).toBe(true);
    expect(j.name).toBe(name);
    expect(j.counts.tests).toBeGreaterThanOrEqual(8);
    expect(j.counts.pass).toBe(j.counts.tests);
    expect(j.counts.fail).toBe(0);
  }, 180_000); // above pm's own 120 s limit: on a loaded machine five concurrent runs exceed vitest's 60 s default
});

// Freshly created plugins of every template are tested in plugin-templates.test.ts.

describe('pm plugin-test failures', () => {
  let t: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    t = await tempDir('pm-plugin-test-fail-');
  });
  afterAll(() => t.cleanup());

  it('exits 1 when a test fails, and the JUnit report names the failing test', async () => {
    const junit = join(t.dir, 'reports', 'junit.xml');
    const r = await pm(['plugin-test', fixture('plugin-test-failing'), '--reporter', 'junit', '--output', junit]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe(`✖ failing-fixture: 3 tests: 1 passed, 1 failed, 1 skipped (report: ${junit})`);
    const xml = await readFile(junit, 'utf8');
    expect(xml).toMatch(/<testcase name="add adds two numbers correctly"[^>]*failure="tool result text differs:/);
    expect(xml).toMatch(/<testcase name="add answers with text"[^>]*\/>/);
    expect(xml).toContain('<!-- fail 1 -->');
  });

  it('reports the counts under --json', async () => {
    const r = await pm(['plugin-test', fixture('plugin-test-failing'), '--json']);
    expect(r.exitCode).toBe(1);
    const j = JSON.parse(r.stdout) as Json;
    expect(j).toMatchObject({ ok: false, name: 'failing-fixture', counts: { tests: 3, pass: 1, fail: 1, skipped: 1 } });
    // The runner's own report goes to stderr under --json, so stdout stays one JSON document.
    expect(r.stderr).toContain('add adds two numbers correctly');
  });

  it('--test-name-pattern runs only the matching tests', async () => {
    const r = await pm(['plugin-test', fixture('plugin-test-failing'), '--test-name-pattern', 'answers with text', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as Json).counts).toMatchObject({ pass: 1, fail: 0 });
  });

  it('--reporter tap prints TAP on stdout', async () => {
    const r = await pm(['plugin-test', fixture('plugin-test-failing'), '--reporter', 'tap']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^TAP version 13$/m);
    expect(r.stdout).toMatch(/^not ok 2 - add adds two numbers correctly$/m);
  });

  it('--coverage adds node\'s coverage report', async () => {
    const r = await pm(['plugin-test', fixture('plugin-test-failing'), '--coverage', '--test-name-pattern', 'answers']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/start of coverage report/);
  });

  it('refuses an invalid plugin with exit 3 and runs none of its tests', async () => {
    const copy = join(t.dir, 'invalid');
    await cp(fixture('plugin-test-invalid'), copy, { recursive: true });
    const r = await pm(['plugin-test', copy]);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/error {3}name: must match/);
    expect(r.stderr).toContain('is not a valid plugin (1 error); no test was run');
    expect(r.stderr).toContain('hint: fix the errors above');
    await expect(stat(join(copy, 'ran.txt'))).rejects.toThrow(/ENOENT/);
  });

  it('under --json an invalid plugin gives one JSON error document carrying the validation report', async () => {
    const r = await pm(['plugin-test', fixture('plugin-test-invalid'), '--json']);
    expect(r.exitCode).toBe(3);
    const j = JSON.parse(r.stdout) as { error: { code: string; data: { report: { ok: boolean; errors: { where?: string }[] } } } };
    expect(j.error.code).toBe('PLUGIN_INVALID');
    expect(j.error.data.report.ok).toBe(false);
    expect(j.error.data.report.errors.map((e) => e.where)).toEqual(['name']);
  });

  it('refuses a TypeScript plugin whose source does not parse with exit 3, naming file:line:column', async () => {
    const copy = join(t.dir, 'ts-syntax');
    await cp(fixture('plugin-test-ts-syntax'), copy, { recursive: true });
    const r = await pm(['plugin-test', copy]);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/error: src\/index\.mts:\d+:\d+: /);
  });

  it('refuses a plugin without tests with exit 2 and says where tests go', async () => {
    const r = await pm(['plugin-test', fixture('plugin-test-no-tests')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('has no tests: nothing matches test/**/*.test.{js,mjs,ts}');
  });

  it('refuses an unknown reporter with exit 2', async () => {
    const r = await pm(['plugin-test', fixture('plugin-test-failing'), '--reporter', 'dots']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('unknown reporter "dots"');
  });

  it('refuses a folder that does not exist with exit 2', async () => {
    const r = await pm(['plugin-test', join(t.dir, 'nope')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/does not exist/);
  });
});
