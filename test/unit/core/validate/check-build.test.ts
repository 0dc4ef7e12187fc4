import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkBuild } from '../../../../src/core/validate/check-build.js';
import { validatePlugin } from '../../../../src/core/validate/validate-plugin.js';
import { tempDir } from '../../../helpers/pm.js';

const tmp = await tempDir('pm-check-build-');
afterAll(() => tmp.cleanup());

/** A TypeScript plugin folder (tsconfig.json, src/index.ts) with the given source. */
async function tsPlugin(name: string, source: string): Promise<string> {
  const dir = join(tmp.dir, name);
  await mkdir(join(dir, 'src'), { recursive: true });
  await writeFile(join(dir, 'tsconfig.json'), '{}');
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }');
  await writeFile(join(dir, 'plugin.json'), JSON.stringify({ name, version: '1.0.0', description: 'x', license: 'MIT', main: 'dist/index.js' }));
  await writeFile(join(dir, 'src', 'index.ts'), source);
  return dir;
}

describe('checkBuild (validatePlugin with build)', () => {
  it('builds a TypeScript plugin that has no dist/ yet before the entry is checked', async () => {
    const dir = await tsPlugin('unbuilt', 'export default {};\n');
    const r = await validatePlugin(dir, { build: true, checks: [checkBuild] });
    expect(r.errors).toEqual([]);
    expect(await readFile(join(dir, 'dist', 'index.js'), 'utf8')).toContain('export default {}');
  });

  it('reports a syntax error as a TS_SYNTAX finding at file:line:column instead of throwing', async () => {
    const dir = await tsPlugin('broken', 'export default {\n  x: ,\n};\n');
    const r = await validatePlugin(dir, { build: true });
    expect(r.ok).toBe(false);
    expect(r.errors.map((e) => [e.code, e.where, e.message])).toEqual([['TS_SYNTAX', 'src/index.ts:2:6', 'Expression expected.']]);
  });
});
