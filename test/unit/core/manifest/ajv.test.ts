import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createAjv, manifestSchema } from '../../../../src/core/manifest/ajv.js';
import { repoRoot } from '../../../helpers/pm.js';

type Validate = ((v: unknown) => boolean) & { errors?: { instancePath: string; keyword: string; message?: string; parentSchema?: unknown }[] | null };

// The build precompiles the schema (ajv standalone) so commands skip compiling it; this
// proves the shipped validator and a fresh compile of the source schema agree.
const precompiled = createRequire(import.meta.url)(join(repoRoot, 'dist/core/manifest/plugin-schema.validate.cjs')) as Validate;
const compiled = createAjv({ verbose: true }).compile(manifestSchema()) as Validate;

const summary = (v: Validate) => (v.errors ?? []).map((e) => ({ path: e.instancePath, keyword: e.keyword, message: e.message, hint: (e.parentSchema as Record<string, unknown>)?.['x-hint'] }));

describe('the precompiled manifest validator in dist/', () => {
  it('accepts the full example plugin as the compiled schema does', async () => {
    const manifest = JSON.parse(await readFile(join(repoRoot, 'test/fixtures/valid-full/plugin.json'), 'utf8'));
    expect(precompiled(manifest)).toBe(true);
    expect(compiled(manifest)).toBe(true);
  });

  it.each([
    ['a bad name and version', { name: 'Bad Name', version: 'one' }],
    ['a tool without a name', { name: 'x', version: '1.0.0', contributes: { tools: [{ description: 'd' }] } }],
    ['permissions of the wrong type', { name: 'x', version: '1.0.0', permissions: { fs: { read: 'all' }, childProcess: 'yes' } }],
  ])('reports the same errors and hints for %s', (_what, manifest) => {
    expect(precompiled(manifest)).toBe(false);
    compiled(manifest);
    expect(summary(precompiled)).toEqual(summary(compiled));
    expect(summary(precompiled).length).toBeGreaterThan(0);
  });
});
