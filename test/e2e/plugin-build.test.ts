import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pm, tempDir } from '../helpers/pm.js';

const tmp = await tempDir();
afterAll(() => tmp.cleanup());
const dir = join(tmp.dir, 'hello');
const src = join(dir, 'src', 'index.ts');
const original = { text: '' };

/** Edits src/index.ts and makes it newer than dist/ even on a coarse-mtime file system. */
async function edit(from: string, to: string): Promise<void> {
  await writeFile(src, original.text.replace(from, to));
  const later = new Date(Date.now() + 5_000);
  await utimes(src, later, later);
}

beforeAll(async () => {
  const r = await pm(['plugin-create', 'hello', '--type', 'tool', '--lang', 'ts', '--dir', tmp.dir, '--json']);
  expect(r.exitCode).toBe(0);
  original.text = await readFile(src, 'utf8');
}, 60_000);

describe('the TypeScript edit loop builds first (issue 21.2)', () => {
  it('plugin-validate sees src/index.ts as it is now, not the last dist/', async () => {
    expect((await pm(['plugin-validate', dir])).exitCode).toBe(0);
    await edit('tools: { greet },', 'tools: { greet, wave: greet },');
    const r = await pm(['plugin-validate', dir]);
    expect(r.exitCode).toBe(3);
    expect(r.stdout.split('\n')[0]).toBe('error   contributes.tools: the entry implements tool "wave", which plugin.json does not declare — declare it in contributes.tools (name, description, inputSchema) or remove it from the entry');
    expect(await readFile(join(dir, 'dist', 'index.js'), 'utf8')).toContain('wave: greet');
  });

  it('plugin-validate does not rewrite an up-to-date dist/', async () => {
    await writeFile(src, original.text);
    expect((await pm(['plugin-build', dir])).exitCode).toBe(0);
    const old = new Date(Date.now() - 60_000);
    await utimes(src, old, old);
    const before = (await stat(join(dir, 'dist', 'index.js'))).mtimeMs;
    expect((await pm(['plugin-validate', dir])).exitCode).toBe(0);
    expect((await stat(join(dir, 'dist', 'index.js'))).mtimeMs).toBe(before);
  });

  it('plugin-test runs the edited code', async () => {
    await edit('${args.name}!`', '${args.name}!!`');
    const r = await pm(['plugin-test', dir, '--json'], { timeout: 120_000 });
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout).counts).toMatchObject({ tests: 2, fail: 2 });
    expect(r.stderr).toContain('Hello, Ada!!');
  }, 130_000);

  it('a TypeScript syntax error is reported at file:line:column: plugin-validate and plugin-build exit 3', async () => {
    await edit('const greeting = ', 'const greeting = ;');
    const v = await pm(['plugin-validate', dir]);
    expect(v.exitCode).toBe(3);
    expect(v.stdout.split('\n')).toEqual(['error   src/index.ts:20:20: Expression expected. — fix the syntax error, then run the command again', '✖ 1 error']);
    const b = await pm(['plugin-build', dir]);
    expect(b.exitCode).toBe(3);
    expect(b.stderr).toContain('error: src/index.ts:20:20: Expression expected.');
  });

  it('pm plugin-build writes dist/ from src/ (human and --json), and says a JavaScript plugin has nothing to build', async () => {
    await writeFile(src, original.text);
    await rm(join(dir, 'dist'), { recursive: true });
    const r = await pm(['plugin-build'], { cwd: dir });
    expect(r).toMatchObject({ exitCode: 0, stdout: 'built 1 file: dist/index.js', stderr: '' });
    expect(JSON.parse((await pm(['plugin-build', dir, '--json'])).stdout)).toEqual({ dir, typescript: true, written: ['dist/index.js'] });
    const js = join(tmp.dir, 'plain');
    await mkdir(js);
    await writeFile(join(js, 'plugin.json'), '{}');
    expect(await pm(['plugin-build', js])).toMatchObject({ exitCode: 0, stdout: `nothing to build: ${js} is a JavaScript plugin` });
    const missing = await pm(['plugin-build', join(tmp.dir, 'nope')]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain(`error: ${join(tmp.dir, 'nope')} does not exist`);
  });

  it('a JavaScript syntax error in the entry is reported at file:line:column (exit 3)', async () => {
    const js = join(tmp.dir, 'broken-js');
    await mkdir(js);
    await writeFile(join(js, 'plugin.json'), JSON.stringify({
      name: 'broken-js', version: '1.0.0', description: 'x', license: 'MIT', main: 'index.mjs',
      contributes: { tools: [{ name: 'greet', description: 'x', inputSchema: { type: 'object' } }] },
    }));
    await writeFile(join(js, 'index.mjs'), 'const a = 1;\nexport default { tools: { greet: async () => (a +) } };\n');
    const r = await pm(['plugin-validate', js]);
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toMatch(/^error {3}index\.mjs:2:50: Expression expected\. \("index\.mjs" does not load: .*Unexpected token '\)'\) — fix the syntax error, then run the command again$/m);
  });
});
