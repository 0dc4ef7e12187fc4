import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { readManifest, readPluginManifest } from '../../../../src/core/manifest/read.js';
import { PmError } from '../../../../src/core/errors.js';
import { repoRoot, tempDir } from '../../../helpers/pm.js';

const tmp = await tempDir();
afterAll(() => tmp.cleanup());

async function pluginDir(name: string, manifest: string): Promise<string> {
  const dir = join(tmp.dir, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'plugin.json'), manifest);
  return dir;
}

async function refusal(dir: string): Promise<PmError> {
  const err = await readManifest(dir).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(PmError);
  return err as PmError;
}

describe('readManifest', () => {
  it('returns the DESIGN example manifest as data', async () => {
    const dir = join(repoRoot, 'test/fixtures/valid-full');
    const m = await readManifest(dir);
    expect(m).toEqual(JSON.parse(await readFile(join(dir, 'plugin.json'), 'utf8')));
    expect(m.contributes?.tools?.[0].name).toBe('add');
  });

  it('refuses a folder without plugin.json (validation, MANIFEST_MISSING)', async () => {
    const dir = join(tmp.dir, 'empty');
    await mkdir(dir);
    const e = await refusal(dir);
    expect([e.code, e.kind, e.exitCode]).toEqual(['MANIFEST_MISSING', 'validation', 3]);
    expect(e.message).toBe(`${join(dir, 'plugin.json')} does not exist`);
    expect(e.hint).toBe('a plugin folder needs a plugin.json; create one with pm plugin-create');
  });

  it('refuses JSON with a syntax error, naming its line and column', async () => {
    const dir = await pluginDir('syntax', '{\n  "name": "notes",\n  "version": "1.0.0",\n}\n');
    const e = await refusal(dir);
    expect(e.code).toBe('MANIFEST_INVALID_JSON');
    expect(e.message).toMatch(/^plugin\.json:4:1: not valid JSON: /);
    expect(e.data).toMatchObject({ line: 4, column: 1 });
    expect(e.hint).toBe('fix the JSON syntax (no comments or trailing commas in plugin.json)');
  });

  it('reads a manifest saved with a byte-order mark', async () => {
    const dir = await pluginDir('bom', '\ufeff' + JSON.stringify({ name: 'bom', version: '1.0.0', description: 'x' }));
    expect((await readManifest(dir)).name).toBe('bom');
  });

  it('refuses an invalid manifest, listing every error with its path', async () => {
    const dir = await pluginDir('invalid', JSON.stringify({ name: 'Bad', version: '1', description: 'x', licence: 'MIT' }));
    const e = await refusal(dir);
    expect(e.code).toBe('MANIFEST_INVALID');
    expect(e.kind).toBe('validation');
    expect(e.message).toBe(
      `${join(dir, 'plugin.json')} is invalid (2 errors):\n` +
        '  name: must match ^[a-z][a-z0-9-]{0,49}$ — plugin names are lowercase letters, digits and -, start with a letter, at most 50 characters\n' +
        '  version: "1" is not a valid semver version — use MAJOR.MINOR.PATCH, e.g. 1.2.0 (optionally with -prerelease)',
    );
    expect((e.data?.errors as unknown[]).length).toBe(2);
  });

  it('accepts unknown fields (they are warnings, not errors)', async () => {
    const dir = await pluginDir('unknown', JSON.stringify({ name: 'ok', version: '1.0.0', description: 'x', licence: 'MIT' }));
    expect((await readManifest(dir)).name).toBe('ok');
  });

  it('fifo-manifest-does-not-hang: a FIFO named plugin.json is refused at once, not waited on', async () => {
    const dir = join(tmp.dir, 'fifo');
    await mkdir(dir);
    execFileSync('mkfifo', [join(dir, 'plugin.json')]);
    const e = await refusal(dir);
    expect([e.code, e.kind, e.message]).toEqual(['MANIFEST_NOT_FILE', 'validation', `the manifest ${join(dir, 'plugin.json')} is a FIFO (named pipe), not a regular file`]);
  });
});

describe('readPluginManifest', () => {
  it('returns the manifest with its file and derived kind (module: it has main)', async () => {
    const dir = join(repoRoot, 'test/fixtures/valid-full');
    const r = await readPluginManifest(dir);
    expect([r.dir, r.file, r.kind, r.manifest.name]).toEqual([dir, join(dir, 'plugin.json'), 'module', 'notes']);
  });

  it('checks only the basics unless asked for the full check', async () => {
    const dir = await pluginDir('basics', JSON.stringify({ name: 'basics', version: '1.0.0', description: 'x', licence: 'MIT', contributes: { tools: 'nope' } }));
    expect((await readPluginManifest(dir)).manifest.name).toBe('basics');
    await expect(readPluginManifest(dir, { check: 'full' })).rejects.toMatchObject({ code: 'MANIFEST_INVALID' });
    const noName = await pluginDir('noname', JSON.stringify({ version: '1.0.0' }));
    await expect(readPluginManifest(noName)).rejects.toMatchObject({ code: 'MANIFEST_INVALID', kind: 'validation' });
  });
});
