import { afterAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findSyntaxError } from '../../../../src/core/build/find-syntax-error.js';
import { tempDir } from '../../../helpers/pm.js';

const tmp = await tempDir('pm-syntax-');
afterAll(() => tmp.cleanup());

async function file(path: string, text: string): Promise<{ path: string; abs: string }> {
  await writeFile(join(tmp.dir, path), text);
  return { path, abs: join(tmp.dir, path) };
}

describe('findSyntaxError', () => {
  it('names the first file with a syntax error, with its line and column', async () => {
    const ok = await file('ok.mjs', 'export default { tools: {} };\n');
    const bad = await file('bad.mjs', 'const a = 1;\nexport default { tools: { greet: async () => (a +) } };\n');
    expect(await findSyntaxError([ok, bad])).toEqual({ where: 'bad.mjs:2:50', message: 'Expression expected.' });
  });

  it('finds nothing in valid ES modules and CommonJS files', async () => {
    const esm = await file('a.mjs', 'import x from "./b.js";\nexport const y = x?.z ?? 1;\n');
    const cjs = await file('c.cjs', 'module.exports = { a: require("./d.cjs") };\n');
    expect(await findSyntaxError([esm, cjs])).toBeUndefined();
  });
});
