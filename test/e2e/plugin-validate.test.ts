import { afterAll, describe, expect, it } from 'vitest';
import { cp, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pm, repoRoot, tempDir } from '../helpers/pm.js';

const fixture = (name: string) => join(repoRoot, 'test/fixtures', name);
const tmp = await tempDir();
afterAll(() => tmp.cleanup());

describe('pm plugin-validate (real bin)', () => {
  it('exits 0 on a valid plugin and ends with a one-line verdict', async () => {
    const r = await pm(['plugin-validate', fixture('valid-full')]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('✔ notes@1.2.0 is valid');
    expect(r.stderr).toBe('');
  });

  it('validates the current folder when no dir is given', async () => {
    const r = await pm(['plugin-validate'], { cwd: fixture('valid-full') });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('✔ notes@1.2.0 is valid');
  });

  it('exits 3 on an invalid plugin, listing errors then warnings, then the verdict', async () => {
    const r = await pm(['plugin-validate', fixture('invalid-manifest')]);
    expect(r.exitCode).toBe(3);
    expect(r.stdout.split('\n')).toEqual([
      'error   name: must match ^[a-z][a-z0-9-]{0,49}$ — plugin names are lowercase letters, digits and -, start with a letter, at most 50 characters',
      'error   contributes.tools[0].name: must match ^[a-z][a-z0-9_-]*$ — tool names are lowercase letters, digits, _ and -',
      'error   version: "1.0" is not a valid semver version — use MAJOR.MINOR.PATCH, e.g. 1.2.0 (optionally with -prerelease)',
      'error   contributes.hooks[0].event: "tool:before-cal" is not a known event; did you mean "tool:before-call"? — use a built-in event (tool:before-call, tool:after-call, prompt:before-render, prompt:after-render, resource:after-read, plugin:installed, plugin:enabled, plugin:disabled, plugin:uninstalled, server:started, server:stopping) or one declared in contributes.events',
      'warning licence: is not a known field; did you mean "license"? — rename it to "license"',
      '✖ 4 errors, 1 warning',
    ]);
  });

  it('reports a static-scan finding at file:line and exits 3 for an error', async () => {
    const r = await pm(['plugin-validate', fixture('scan-child-process')]);
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toContain('error   lib/legacy.cjs:4: imports child_process without permissions.childProcess');
    expect(r.stdout.split('\n').at(-1)).toBe('✖ 3 errors');
  });

  it('exits 0 with warnings, and 3 with the same warnings under --strict', async () => {
    const loose = await pm(['plugin-validate', fixture('warnings-only')]);
    expect(loose.exitCode).toBe(0);
    expect(loose.stdout.split('\n').at(-1)).toBe('✔ warnings-only@1.0.0 is valid (2 warnings)');
    const strict = await pm(['plugin-validate', fixture('warnings-only'), '--strict']);
    expect(strict.exitCode).toBe(3);
    expect(strict.stdout.split('\n')).toEqual([
      'error   licence: is not a known field; did you mean "license"? — rename it to "license"',
      'error   index.js:2: reads process.env.HOME, which permissions.env does not list: the sandbox passes only listed variables — add "HOME" to permissions.env',
      '✖ 2 errors',
    ]);
  });

  it('prints the ValidationReport under --json, with the same exit codes', async () => {
    const ok = await pm(['plugin-validate', fixture('scan-eval'), '--json']);
    expect(ok.exitCode).toBe(0);
    const report = JSON.parse(ok.stdout);
    expect(Object.keys(report)).toEqual(['ok', 'dir', 'manifest', 'errors', 'warnings']);
    expect(report).toMatchObject({ ok: true, dir: fixture('scan-eval'), errors: [] });
    expect(report.manifest.name).toBe('scan-eval');
    expect(report.warnings).toEqual([{
      code: 'SCAN_EVAL',
      message: 'eval() runs code from a string',
      severity: 'warning',
      where: 'index.js:10',
      hint: 'parse data with JSON.parse, or call the code directly instead of eval',
    }]);

    const bad = await pm(['plugin-validate', fixture('scan-process-binding'), '--json']);
    expect(bad.exitCode).toBe(3);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, errors: [{ code: 'SCAN_PROCESS_BINDING', where: 'index.js:4', severity: 'error' }] });
  });

  it('accepts --strict and --json together', async () => {
    const r = await pm(['plugin-validate', fixture('scan-eval'), '--json', '--strict']);
    expect(r.exitCode).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, errors: [{ code: 'SCAN_EVAL', severity: 'error' }], warnings: [] });
  });

  it('exits 2 with a hint when the folder does not exist', async () => {
    const r = await pm(['plugin-validate', join(tmp.dir, 'missing')]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`error: ${join(tmp.dir, 'missing')} does not exist\nhint: give the plugin folder (the one holding plugin.json), or run pm plugin-validate inside it`);
  });

  it('exits 3 on a folder without plugin.json', async () => {
    const r = await pm(['plugin-validate', tmp.dir]);
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toBe('error   plugin.json: does not exist — a plugin folder needs a plugin.json; create one with pm plugin-create\n✖ 1 error');
  });

  it('implementation-check-runs-in-the-cli: plugin-validate and plugin-package load the entry and refuse a declared tool it lacks', async () => {
    const dir = join(tmp.dir, 'lacks-tool');
    await cp(fixture('inspect-mismatch'), dir, { recursive: true });
    await writeFile(join(dir, 'plugin.json'), JSON.stringify({
      name: 'lacks-tool', version: '1.0.0', description: 'x', main: 'index.mjs', license: 'MIT',
      contributes: { tools: [{ name: 'declared-only', description: 'x', inputSchema: { type: 'object' } }, { name: 'both', description: 'x', inputSchema: { type: 'object' } }, { name: 'secret', description: 'x', inputSchema: { type: 'object' } }], hooks: [{ event: 'tool:before-call' }] },
    }));
    const v = await pm(['plugin-validate', dir]);
    expect(v.exitCode).toBe(3);
    expect(v.stdout).toContain('error   contributes.tools[0]: tool "declared-only" is declared but the entry\'s tools has no declared-only function');
    expect(v.stdout).not.toContain('ENTRY_NOT_INSPECTED');
    const out = join(tmp.dir, 'lacks-tool-out');
    await mkdir(out);
    const p = await pm(['plugin-package', dir, '--out', out]);
    expect(p.exitCode).toBe(3);
    expect(p.stdout + p.stderr).toContain('tool "declared-only" is declared but the entry\'s tools has no declared-only function');
    expect(await readdir(out)).toEqual([]);
  });

  it('changes nothing in the plugin folder', async () => {
    const dir = join(tmp.dir, 'copy');
    await cp(fixture('invalid-manifest'), dir, { recursive: true });
    const before = await snapshot(dir);
    await pm(['plugin-validate', dir, '--strict']);
    expect(await snapshot(dir)).toEqual(before);
  });
});

/** Names, sizes, mtimes and contents of every file, to prove a run wrote nothing. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await readdir(dir, { recursive: true })) {
    const p = join(dir, name);
    const st = await stat(p);
    out[name] = st.isFile() ? `${st.size} ${st.mtimeMs} ${await readFile(p, 'utf8')}` : 'dir';
  }
  return out;
}
