import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { pm, tempDir } from '../helpers/pm.js';

// One matrix for every template: what plugin-create writes, that plugin-validate --strict
// accepts it as it is, and that plugin-test passes it with nothing installed in its folder.
const tmp = await tempDir('pm-templates-');
afterAll(() => tmp.cleanup());

const gitconfig = join(tmp.dir, 'gitconfig');
await writeFile(gitconfig, '[user]\n\tname = Grace Hopper\n\temail = grace@example.org\n');
const env = { GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: '1' };

/** Every file under `dir`, relative, '/' separators, sorted. */
async function filesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/')).sort();
}

/** Syntax errors in one created file: JavaScript must parse as an ES module (node --check), TypeScript must have none. */
async function syntaxErrors(dir: string, file: string): Promise<string[]> {
  if (file.endsWith('.js')) {
    const check = await execa(process.execPath, ['--check', join(dir, file)], { reject: false });
    return check.exitCode === 0 && check.stderr === '' ? [] : [`${file}: exit ${check.exitCode} ${check.stderr}`];
  }
  if (file.endsWith('.ts')) {
    const out = ts.transpileModule(await readFile(join(dir, file), 'utf8'), { fileName: file, reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext } });
    return (out.diagnostics ?? []).map((d) => `${file}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  }
  return [];
}

interface TestJson { ok: boolean; name: string; files: string[]; counts: { tests: number; pass: number; fail: number; skipped: number } }

const TYPES = ['tool', 'prompt', 'hook', 'resource', 'full'] as const;
const LANGS = ['js', 'ts'] as const;
const matrix = TYPES.flatMap((type) => LANGS.map((lang) => [type, lang] as const));

describe('every template: plugin-create → plugin-validate → plugin-test', () => {
  it.concurrent.each(matrix)('a %s plugin in %s is created as reported, validates under --strict and passes its tests with nothing installed', async (type, lang) => {
    const parent = join(tmp.dir, `${type}-${lang}`);
    await mkdir(parent);
    const name = `my-${type}-${lang}`;
    const r = await pm(['plugin-create', name, '--type', type, '--lang', lang, '--dir', parent, '--json'], { env });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const created = JSON.parse(r.stdout);
    const dir = join(parent, name);
    expect(Object.keys(created)).toEqual(['dir', 'name', 'type', 'lang', 'files']);
    expect(created).toMatchObject({ dir, name, type, lang });
    // The report is the truth about the disk, and nothing else is left beside the plugin.
    expect(created.files).toEqual(await filesIn(dir));
    expect(await readdir(parent)).toEqual([name]);

    const manifest = JSON.parse(await readFile(join(dir, 'plugin.json'), 'utf8'));
    // A path into the plugin's own node_modules: editors resolve it offline and before pmkit is on npm.
    expect(manifest.$schema).toBe('./node_modules/pmkit/dist/core/manifest/plugin.schema.json');
    expect(manifest).toMatchObject({ name, version: '0.1.0', license: 'MIT', author: 'Grace Hopper <grace@example.org>' });
    expect(JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')).type).toBe('module');
    if (type === 'prompt') {
      expect(manifest.main).toBeUndefined();
      expect(created.files.filter((f: string) => /\.(js|ts)$/.test(f) && !f.startsWith('test/'))).toEqual([]);
    } else if (lang === 'ts') {
      expect(manifest.main).toBe('dist/index.js');
      expect(created.files).toEqual(expect.arrayContaining(['src/index.ts', 'dist/index.js', 'tsconfig.json']));
    } else {
      expect(manifest.main).toBe('index.js');
    }
    expect(created.files).toContain('.github/workflows/plugin-test.yml');
    expect(created.files.some((f: string) => f.startsWith('test/') && f.endsWith(`.test.${lang}`))).toBe(true);
    expect((await Promise.all((created.files as string[]).map((f) => syntaxErrors(dir, f)))).flat()).toEqual([]);

    const v = await pm(['plugin-validate', dir, '--json', '--strict']);
    const report = JSON.parse(v.stdout);
    expect({ errors: report.errors, warnings: report.warnings }).toEqual({ errors: [], warnings: [] });
    expect(v.exitCode).toBe(0);

    const t = await pm(['plugin-test', dir, '--json'], { timeout: 120_000 });
    expect(t.exitCode, t.stderr).toBe(0);
    const j = JSON.parse(t.stdout) as TestJson;
    expect(j).toMatchObject({ ok: true, name });
    expect(j.counts.tests).toBeGreaterThan(0);
    expect(j.counts.pass).toBe(j.counts.tests);
    expect(j.files.length).toBeGreaterThan(0);
    expect(j.files.every((f) => f.startsWith('test/') && f.endsWith(lang === 'ts' ? '.test.ts' : '.test.js'))).toBe(true);
    // pmkit/testing was resolved by pm's hook: nothing (node_modules or else) was written into the plugin.
    expect(await filesIn(dir)).toEqual(created.files);
  }, 180_000);
});
