import { afterAll, describe, expect, it } from 'vitest';
import { cp, mkdir, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transpilePlugin } from '../../../../src/core/build/transpile-ts.js';
import { isPmError } from '../../../../src/core/errors.js';
import { repoRoot, tempDir } from '../../../helpers/pm.js';

const tmp = await tempDir('pm-transpile-');
afterAll(() => tmp.cleanup());

/** A copy of a fixture plugin, so transpiling never writes into test/fixtures. */
async function copyFixture(name: string): Promise<string> {
  const dir = join(tmp.dir, `${name}-${Math.random().toString(36).slice(2)}`);
  await cp(join(repoRoot, 'test', 'fixtures', name), dir, { recursive: true });
  return dir;
}

describe('transpilePlugin', () => {
  it('builds every source under tsconfig rootDir into outDir as ES modules that run, without node_modules', async () => {
    const dir = await copyFixture('ts-plugin-nested');
    const written = await transpilePlugin(dir);
    // Declarations have no output; the folder structure is kept.
    expect(written).toEqual(['build/index.js', 'build/lib/shout.js']);
    const mod = await import(pathToFileURL(join(dir, 'build', 'index.js')).href);
    const result = await mod.default.tools.shout({ text: 'hi' });
    expect(result).toEqual({ content: [{ type: 'text', text: 'HI!' }] });
  });

  it('with ifStale, rebuilds only when a source is newer than its output or an output is missing', async () => {
    const dir = await copyFixture('ts-plugin-nested');
    expect(await transpilePlugin(dir, { ifStale: true })).toEqual(['build/index.js', 'build/lib/shout.js']);
    const past = new Date(Date.now() - 60_000);
    for (const f of ['tsconfig.json', 'source/index.ts', 'source/lib/shout.ts']) await utimes(join(dir, f), past, past);
    expect(await transpilePlugin(dir, { ifStale: true })).toEqual([]);
    const future = new Date(Date.now() + 60_000);
    await utimes(join(dir, 'source', 'lib', 'shout.ts'), future, future);
    expect(await transpilePlugin(dir, { ifStale: true })).toEqual(['build/index.js', 'build/lib/shout.js']);
    await utimes(join(dir, 'source', 'lib', 'shout.ts'), past, past);
    await rm(join(dir, 'build', 'index.js'));
    expect(await transpilePlugin(dir, { ifStale: true })).toEqual(['build/index.js', 'build/lib/shout.js']);
  });

  it('uses src/ and dist/ when there is no tsconfig.json', async () => {
    const dir = join(tmp.dir, 'no-tsconfig');
    await mkdir(join(dir, 'src'), { recursive: true });
    await writeFile(join(dir, 'src', 'index.mts'), 'export const n: number = 1;\n');
    expect(await transpilePlugin(dir)).toEqual(['dist/index.mjs']);
  });

  it('returns nothing for a folder without TypeScript sources', async () => {
    const dir = join(tmp.dir, 'plain');
    await mkdir(dir, { recursive: true });
    expect(await transpilePlugin(dir)).toEqual([]);
  });

  it('refuses a syntax error with a validation error at file:line:column, writing nothing', async () => {
    const dir = await copyFixture('ts-plugin-syntax-error');
    const err = await transpilePlugin(dir).catch((e: unknown) => e);
    expect(isPmError(err)).toBe(true);
    expect(err).toMatchObject({ code: 'TS_SYNTAX', kind: 'validation' });
    expect((err as Error).message).toBe("src/index.mts:3:43: ',' expected.");
    expect((await readdir(dir)).sort()).toEqual(['README.md', 'src']);
  });

  it('refuses a tsconfig.json that is not JSON', async () => {
    const dir = join(tmp.dir, 'bad-tsconfig');
    await mkdir(join(dir, 'src'), { recursive: true });
    await writeFile(join(dir, 'tsconfig.json'), '{ "compilerOptions": { ');
    await expect(transpilePlugin(dir)).rejects.toMatchObject({ code: 'TSCONFIG_INVALID', kind: 'validation' });
  });

  it('refuses an outDir outside the plugin folder', async () => {
    const dir = join(tmp.dir, 'escape');
    await mkdir(join(dir, 'src'), { recursive: true });
    await writeFile(join(dir, 'src', 'index.ts'), 'export default {};\n');
    await writeFile(join(dir, 'tsconfig.json'), '{ "compilerOptions": { "outDir": "../elsewhere" } }');
    await expect(transpilePlugin(dir)).rejects.toThrow(`tsconfig.json outDir ${join(tmp.dir, 'elsewhere')} is outside the plugin folder`);
    expect((await readdir(tmp.dir)).includes('elsewhere')).toBe(false);
  });
});
