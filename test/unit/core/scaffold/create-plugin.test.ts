import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createPlugin, targetProblem } from '../../../../src/core/scaffold/create-plugin.js';
import type { ScaffoldAnswers } from '../../../../src/core/scaffold/plugin-spec.js';
import { repoRoot, tempDir } from '../../../helpers/pm.js';

const tmp = await tempDir('pm-create-lib-');
afterAll(() => tmp.cleanup());

const answers = (over: Partial<ScaffoldAnswers> = {}): ScaffoldAnswers => ({
  name: 'demo', description: 'A demo', author: '', license: 'MIT', type: 'tool', lang: 'ts', tests: true, ci: true, ...over,
});
const brokenTs = join(repoRoot, 'test/fixtures/templates-broken-ts');

let n = 0;
async function parentDir(): Promise<string> {
  const dir = join(tmp.dir, `p${++n}`);
  await mkdir(dir);
  return dir;
}

describe('createPlugin', () => {
  it('returns the absolute folder and every file written, sorted, built TypeScript included', async () => {
    const parent = await parentDir();
    const created = await createPlugin({ ...answers(), parent });
    expect(created).toEqual({
      dir: join(parent, 'demo'), name: 'demo', type: 'tool', lang: 'ts',
      files: ['.github/workflows/plugin-test.yml', '.gitignore', 'README.md', 'dist/index.js', 'package.json', 'plugin.json', 'src/index.ts', 'test/greet.test.ts', 'tsconfig.json'],
    });
  });

  it('leaves nothing half-written when creation fails after files were written (a TypeScript syntax error)', async () => {
    const parent = await parentDir();
    await expect(createPlugin({ ...answers(), parent, templatesDir: brokenTs })).rejects.toMatchObject({ code: 'TS_SYNTAX' });
    // Neither the plugin folder nor the temporary folder beside it.
    expect(await readdir(parent)).toEqual([]);
  });

  it('removes the parent folders it created when creation fails, and only those', async () => {
    const parent = await parentDir();
    await expect(createPlugin({ ...answers(), parent: join(parent, 'a', 'b'), templatesDir: brokenTs })).rejects.toMatchObject({ code: 'TS_SYNTAX' });
    expect(await readdir(parent)).toEqual([]);
  });

  it('keeps a non-empty folder untouched without force, before rendering anything', async () => {
    const parent = await parentDir();
    await mkdir(join(parent, 'demo', 'keep'), { recursive: true });
    await expect(createPlugin({ ...answers(), parent })).rejects.toMatchObject({ code: 'TARGET_NOT_EMPTY', kind: 'failure' });
    expect(await readdir(join(parent, 'demo'))).toEqual(['keep']);
    expect(await readdir(parent)).toEqual(['demo']);
  });
});

describe('targetProblem', () => {
  it('tells a missing or empty folder (usable) from a non-empty one or a file', async () => {
    const parent = await parentDir();
    expect(targetProblem(join(parent, 'none'))).toBeUndefined();
    await mkdir(join(parent, 'empty'));
    expect(targetProblem(join(parent, 'empty'))).toBeUndefined();
    await mkdir(join(parent, 'full', 'x'), { recursive: true });
    expect(targetProblem(join(parent, 'full'))).toBe('not-empty');
    expect(targetProblem(join(repoRoot, 'package.json'))).toBe('not-a-folder');
  });
});

describe('createPlugin refusals of the parent folder', () => {
  it('refuses a --dir that is a file, as a usage error', async () => {
    const parent = await parentDir();
    const file = join(parent, 'file');
    await writeFile(file, 'x');
    await expect(createPlugin({ ...answers(), parent: file })).rejects.toMatchObject({ code: 'PARENT_NOT_FOLDER', kind: 'usage' });
    await expect(createPlugin({ ...answers(), parent: join(file, 'below') })).rejects.toMatchObject({ code: 'TARGET_NOT_FOLDER' });
    expect(await readdir(parent)).toEqual(['file']);
  });

  it('turns a file-system failure while writing into CREATE_FAILED with a hint, leaving nothing behind', async () => {
    const parent = await parentDir();
    // The fixture renders both a file "clash" and a file "clash/inner.txt": the second cannot be written.
    const err = await createPlugin({ ...answers({ lang: 'js' }), parent, templatesDir: join(repoRoot, 'test/fixtures/templates-path-clash') }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'CREATE_FAILED', kind: 'failure', hint: `check that you can write to ${parent}, or choose another --dir` });
    expect((err as Error).message).toMatch(new RegExp(`^could not create ${join(parent, 'demo')}: E[A-Z]+: .*; nothing was written$`));
    expect(await readdir(parent)).toEqual([]);
  });
});
