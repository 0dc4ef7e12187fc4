import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Handlebars from 'handlebars';
import { transpilePlugin } from '../../../../src/core/build/transpile-ts.js';
import { validateManifest } from '../../../../src/core/manifest/validate.js';
import { PLUGIN_LANGS, PLUGIN_TYPES, type ScaffoldAnswers } from '../../../../src/core/scaffold/plugin-spec.js';
import { outputPath, renderTemplates } from '../../../../src/core/scaffold/render-templates.js';
import { repoRoot, tempDir } from '../../../helpers/pm.js';

const tmp = await tempDir('pm-render-');
afterAll(() => tmp.cleanup());

const answers = (over: Partial<ScaffoldAnswers> = {}): ScaffoldAnswers => ({
  name: 'demo', description: 'A demo', author: 'Ada <ada@example.org>', license: 'MIT',
  type: 'tool', lang: 'js', tests: true, ci: true, ...over,
});

/** Renders and writes a plugin to a fresh folder; builds it when it is TypeScript. */
async function renderToDisk(a: ScaffoldAnswers): Promise<{ dir: string; files: Map<string, string> }> {
  const dir = join(tmp.dir, `${a.type}-${a.lang}-${Math.random().toString(36).slice(2)}`);
  const files = new Map((await renderTemplates(a)).map((f) => [f.path, f.content]));
  for (const [path, content] of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  if (a.lang === 'ts') await transpilePlugin(dir);
  return { dir, files };
}

const matrix = PLUGIN_TYPES.flatMap((type) => PLUGIN_LANGS.map((lang) => [type, lang] as const));

describe('every template, once rendered', () => {
  it.each(matrix)('%s/%s: plugin.json is accepted by the manifest schema and rules under --strict', async (type, lang) => {
    const { dir, files } = await renderToDisk(answers({ type, lang }));
    const manifest = JSON.parse(files.get('plugin.json')!);
    expect(await validateManifest(manifest, { dir, strict: true })).toEqual([]);
  });

  it.each(matrix)('%s/%s: the entry implements exactly what plugin.json declares, and it works', async (type, lang) => {
    const { dir, files } = await renderToDisk(answers({ type, lang }));
    const manifest = JSON.parse(files.get('plugin.json')!);
    const declared = {
      tools: (manifest.contributes.tools ?? []).map((t: { name: string }) => t.name),
      resources: (manifest.contributes.resources ?? []).map((r: { uri: string }) => r.uri),
      hooks: (manifest.contributes.hooks ?? []).map((h: { event: string }) => h.event),
    };
    if (type === 'prompt') {
      expect(manifest.main).toBeUndefined();
      expect(declared).toEqual({ tools: [], resources: [], hooks: [] });
      return;
    }
    const entry = (await import(pathToFileURL(join(dir, manifest.main)).href)).default;
    expect({
      tools: Object.keys(entry.tools ?? {}),
      resources: Object.keys(entry.resources ?? {}),
      hooks: Object.keys(entry.hooks ?? {}),
    }).toEqual(declared);
    if (entry.tools?.greet) {
      expect(await entry.tools.greet({ name: 'Ada' }, { config: {} })).toEqual({ content: [{ type: 'text', text: 'Hello, Ada!' }] });
      expect(await entry.tools.greet({ name: 'Ada' }, { config: { greeting: 'Welcome' } })).toEqual({ content: [{ type: 'text', text: 'Welcome, Ada!' }] });
    }
    if (entry.resources?.['demo://greeting/{who}']) {
      expect(await entry.resources['demo://greeting/{who}']({ who: 'Ada' }, {})).toEqual({ text: 'Hello, Ada!' });
    }
    if (entry.hooks?.['tool:after-call']) {
      const hook = entry.hooks['tool:after-call'];
      expect(await hook({ content: [{ type: 'text', text: 'mail ada@example.org now' }, { type: 'image', data: 'x' }] }, {}))
        .toEqual({ content: [{ type: 'text', text: 'mail [email hidden] now' }, { type: 'image', data: 'x' }] });
      // A filter returns undefined to keep the value.
      expect(await hook({ content: [{ type: 'text', text: 'nothing here' }] }, {})).toBeUndefined();
    }
  });

  it.each(['prompt', 'full'] as const)('%s: the prompt templates render the arguments, with the optional one defaulted', async (type) => {
    const { files } = await renderToDisk(answers({ type }));
    const system = Handlebars.compile(files.get('prompts/explain.system.hbs')!);
    const user = Handlebars.compile(files.get('prompts/explain.user.hbs')!);
    expect(user({ topic: 'recursion' })).toBe('Explain recursion.\n');
    expect(system({ audience: 'children' })).toContain('Write for children.');
    expect(system({})).toContain('Write for a curious beginner.');
  });

  it('names the test files and entry by language and leaves out what was declined', async () => {
    const paths = async (a: ScaffoldAnswers) => (await renderTemplates(a)).map((f) => f.path);
    expect(await paths(answers({ lang: 'js' }))).toEqual([
      '.github/workflows/plugin-test.yml', '.gitignore', 'README.md', 'index.js', 'package.json', 'plugin.json', 'test/greet.test.js',
    ]);
    expect(await paths(answers({ lang: 'ts', tests: false, ci: false }))).toEqual([
      '.gitignore', 'README.md', 'package.json', 'plugin.json', 'src/index.ts', 'tsconfig.json',
    ]);
    // A prompt plugin has nothing to build: no entry and no tsconfig.json, even in TypeScript.
    expect(await paths(answers({ type: 'prompt', lang: 'ts' }))).toEqual([
      '.github/workflows/plugin-test.yml', '.gitignore', 'README.md', 'package.json', 'plugin.json',
      'prompts/explain.system.hbs', 'prompts/explain.user.hbs', 'test/explain.test.ts',
    ]);
  });

  it('writes a CI workflow that runs pm plugin-test with the running pm major', async () => {
    const files = await renderTemplates(answers());
    const workflow = files.find((f) => f.path === '.github/workflows/plugin-test.yml')!.content;
    expect(workflow).toContain("run: npm install --global 'pmkit@^1.0.0'\n");
    expect(workflow).toContain('run: pm plugin-test');
    expect(workflow).toContain('node-version: 20');
  });

  it('writes a --pm-spec tarball path into the CI workflow and the devDependency of package.json', async () => {
    const files = await renderTemplates(answers(), { pmSpec: '../pmkit-1.0.0.tgz' });
    expect(files.find((f) => f.path === '.github/workflows/plugin-test.yml')!.content).toContain("run: npm install --global '../pmkit-1.0.0.tgz'\n");
    expect(JSON.parse(files.find((f) => f.path === 'package.json')!.content).devDependencies).toEqual({ pmkit: '../pmkit-1.0.0.tgz' });
  });
});

describe('outputPath', () => {
  it.each([
    ['plugin.json.hbs', 'js', 'plugin.json'],
    ['js/index.js.hbs', 'js', 'index.js'],
    ['js/index.js.hbs', 'ts', undefined],
    ['ts/src/index.ts.hbs', 'ts', 'src/index.ts'],
    ['dot-gitignore.hbs', 'js', '.gitignore'],
    ['dot-github/workflows/plugin-test.yml.hbs', 'ts', '.github/workflows/plugin-test.yml'],
    ['prompts/explain.user.hbs.hbs', 'js', 'prompts/explain.user.hbs'],
    ['docs/js', 'ts', 'docs/js'],
  ])('maps %s for %s to %s', (from, lang, to) => {
    expect(outputPath(from, lang)).toBe(to);
  });
});

describe('renderTemplates refusals', () => {
  it('fails on a template that uses an unknown value, naming the template', async () => {
    const err = await renderTemplates(answers(), { templatesDir: join(repoRoot, 'test/fixtures/templates-unknown-variable') }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TEMPLATE_BROKEN' });
    expect((err as Error).message).toMatch(/^template tool\/plugin\.json\.hbs does not render: json helper given an undefined value at line 1$/);
  });

  it('fails when the type has no templates', async () => {
    await expect(renderTemplates(answers({ type: 'hook' }), { templatesDir: join(repoRoot, 'test/fixtures/templates-unknown-variable') }))
      .rejects.toMatchObject({ code: 'TEMPLATE_MISSING' });
  });
});
