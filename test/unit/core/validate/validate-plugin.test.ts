import { afterAll, describe, expect, it } from 'vitest';
import { cp, mkdir, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validatePlugin as validateInCore, type ValidatePluginOptions } from '../../../../src/core/validate/validate-plugin.js';
import { inspectEntry } from '../../../../src/host/inspect-entry.js';
import type { PluginCheck } from '../../../../src/core/validate/types.js';
import { formatFinding } from '../../../../src/core/manifest/format.js';
import { PmError } from '../../../../src/core/errors.js';
import { repoRoot, tempDir } from '../../../helpers/pm.js';

/** Validation as pm plugin-validate wires it: with the host's sandbox inspector. */
const validatePlugin = (dir: string, opts: ValidatePluginOptions = {}) => validateInCore(dir, { inspectEntry, ...opts });

const fixture = (name: string) => join(repoRoot, 'test/fixtures', name);
const tmp = await tempDir();
afterAll(() => tmp.cleanup());

/** `where severity code` for each finding, errors first. */
async function found(dir: string, strict = false): Promise<string[]> {
  const r = await validatePlugin(dir, { strict });
  return [...r.errors, ...r.warnings].map((f) => `${f.where} ${f.severity} ${f.code}`);
}

/** A copy of valid-full in a temp folder, to break one thing in. */
async function copyOfValid(name: string): Promise<string> {
  const dir = join(tmp.dir, name);
  await cp(fixture('valid-full'), dir, { recursive: true });
  return dir;
}

describe('validatePlugin on the fixtures', () => {
  it('accepts the DESIGN example (valid-full) with no findings', async () => {
    const r = await validatePlugin(fixture('valid-full'));
    expect(r).toMatchObject({ ok: true, dir: fixture('valid-full'), errors: [], warnings: [] });
    expect(r.manifest?.name).toBe('notes');
  });

  it('reports eval at its file:line as a warning (scan-eval)', async () => {
    expect(await found(fixture('scan-eval'))).toEqual(['index.js:10 warning SCAN_EVAL']);
  });

  it('reports new Function at its file:line (scan-new-function)', async () => {
    expect(await found(fixture('scan-new-function'))).toEqual(['index.js:7 warning SCAN_NEW_FUNCTION']);
  });

  it('reports every child_process import without the permission, in .js and .cjs (scan-child-process)', async () => {
    const r = await validatePlugin(fixture('scan-child-process'));
    expect(r.ok).toBe(false);
    expect(await found(fixture('scan-child-process'))).toEqual([
      'index.js:1 error SCAN_CHILD_PROCESS',
      'index.js:6 error SCAN_CHILD_PROCESS',
      'lib/legacy.cjs:4 error SCAN_CHILD_PROCESS',
    ]);
  });

  it('reports worker_threads without the permission and warns about vm (scan-worker-vm)', async () => {
    expect(await found(fixture('scan-worker-vm'))).toEqual(['index.js:1 error SCAN_WORKER_THREADS', 'index.js:2 warning SCAN_VM']);
  });

  it('reports process.binding (scan-process-binding)', async () => {
    expect(await found(fixture('scan-process-binding'))).toEqual(['index.js:4 error SCAN_PROCESS_BINDING']);
  });

  it('reports each undeclared env name at its line, not the declared one (scan-env)', async () => {
    const r = await validatePlugin(fixture('scan-env'));
    expect(r.warnings.map((f) => `${f.where} ${f.hint}`)).toEqual([
      'index.js:2 add "HOME" to permissions.env',
      'index.js:3 add "AWS_REGION" to permissions.env',
      'index.js:4 add "DEBUG" to permissions.env',
      'index.js:4 add "LOG_LEVEL" to permissions.env',
    ]);
  });

  it('does not scan node_modules/ or test/ (scan-excluded)', async () => {
    expect(await found(fixture('scan-excluded'))).toEqual([]);
  });

  it('turns warnings into errors under strict', async () => {
    const r = await validatePlugin(fixture('scan-eval'), { strict: true });
    expect(r.ok).toBe(false);
    expect(r.errors.map((f) => f.code)).toEqual(['SCAN_EVAL']);
    expect(r.warnings).toEqual([]);
  });

  it('reports every manifest problem with its path (invalid-manifest)', async () => {
    const r = await validatePlugin(fixture('invalid-manifest'));
    expect(r.ok).toBe(false);
    expect(r.manifest?.name).toBe('Broken');
    expect([...r.errors, ...r.warnings].map((f) => f.where)).toEqual(['name', 'contributes.tools[0].name', 'version', 'contributes.hooks[0].event', 'licence']);
  });
});

describe('validatePlugin: the folder', () => {
  it('refuses a folder that does not exist (usage error), and a file', async () => {
    const e = await validatePlugin(join(tmp.dir, 'nope')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PmError);
    expect((e as PmError).code).toBe('PLUGIN_DIR_MISSING');
    expect((e as PmError).exitCode).toBe(2);
    expect((e as PmError).message).toBe(`${join(tmp.dir, 'nope')} does not exist`);
  });

  it('stops at a missing plugin.json without walking the folder', async () => {
    const dir = join(tmp.dir, 'no-manifest');
    await mkdir(dir);
    await writeFile(join(dir, '.env'), 'SECRET=1');
    const r = await validatePlugin(dir);
    expect(r.errors.map(formatFinding)).toEqual(['plugin.json: does not exist — a plugin folder needs a plugin.json; create one with pm plugin-create']);
  });

  it('reports invalid JSON at plugin.json:line:column', async () => {
    const dir = await copyOfValid('bad-json');
    await writeFile(join(dir, 'plugin.json'), '{\n  "name": "notes",,\n}');
    const r = await validatePlugin(dir);
    expect(r.errors.map((f) => `${f.where} ${f.code}`)).toEqual(['plugin.json:2:19 MANIFEST_INVALID_JSON']);
    expect(r.manifest).toBeUndefined();
  });

  it('reports a main that does not exist', async () => {
    const dir = await copyOfValid('no-main');
    await rm(join(dir, 'index.js'));
    const r = await validatePlugin(dir);
    expect(r.errors.map(formatFinding)).toEqual(['main: "index.js" does not exist — create index.js, or fix main (a TypeScript plugin builds it first: pm plugin-build)']);
  });

  it('only warns about a missing main in an unbuilt TypeScript plugin (tsconfig.json present)', async () => {
    const dir = await copyOfValid('unbuilt-ts');
    await rm(join(dir, 'index.js'));
    await writeFile(join(dir, 'tsconfig.json'), '{}');
    const r = await validatePlugin(dir);
    expect(r.ok).toBe(true);
    expect(r.warnings.map(formatFinding)).toEqual(['main: "index.js" does not exist yet (a TypeScript plugin that has not been built) — run pm plugin-build (plugin-validate, plugin-test and plugin-package also build it first)']);
    expect((await validatePlugin(dir, { strict: true })).ok).toBe(false);
  });

  it('reports a main outside the folder, and a TypeScript main', async () => {
    const dir = await copyOfValid('main-outside');
    const manifest = JSON.parse(JSON.stringify((await validatePlugin(dir)).manifest));
    await writeFile(join(dir, 'plugin.json'), JSON.stringify({ ...manifest, main: '../index.js' }));
    expect(await found(dir)).toEqual(['main error ENTRY_OUTSIDE']);
    await writeFile(join(dir, 'plugin.json'), JSON.stringify({ ...manifest, main: 'src/index.ts' }));
    expect((await validatePlugin(dir)).errors.map(formatFinding)).toEqual(['main: "src/index.ts" is TypeScript, which Node 20 does not run — build to JavaScript (e.g. dist/index.js) and point main at the built file']);
  });

  it('warns when a .js entry would load as CommonJS', async () => {
    const dir = await copyOfValid('cjs');
    await rm(join(dir, 'package.json'));
    expect(await found(dir)).toEqual(['main warning ENTRY_NOT_ESM']);
  });

  it('refuses symbolic links anywhere in the folder', async () => {
    const dir = await copyOfValid('links');
    await symlink('/etc/passwd', join(dir, 'passwd'));
    await symlink('index.js', join(dir, 'entry.js'));
    expect(await found(dir)).toEqual(['entry.js error FOLDER_LINK', 'passwd error FOLDER_LINK']);
  });

  it('refuses a file over 10 MiB and accepts one of exactly 10 MiB', async () => {
    const dir = await copyOfValid('big');
    await writeFile(join(dir, 'ok.bin'), '');
    await truncate(join(dir, 'ok.bin'), 10 * 1024 * 1024);
    await writeFile(join(dir, 'big.bin'), '');
    await truncate(join(dir, 'big.bin'), 10 * 1024 * 1024 + 1);
    const r = await validatePlugin(dir);
    expect(r.errors.map(formatFinding)).toEqual(['big.bin: is 10.0 MiB; the limit is 10 MiB per file — remove it, or download large data at run time into $DATA']);
  });
});

describe('validatePlugin: secrets (stops keys and .env files from being published)', () => {
  const pem = ['-----BEGIN PRIVATE KEY-----', 'MC4CAQAwBQYDK2VwBCIEIFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFake', '-----END PRIVATE KEY-----', ''].join('\n');
  const pgp = ['-----BEGIN PGP PRIVATE KEY BLOCK-----', '', 'xVgEZfakefakefake', '-----END PGP PRIVATE KEY BLOCK-----', ''].join('\n');

  it('reports .env files but not .env.example', async () => {
    const dir = await copyOfValid('env');
    await writeFile(join(dir, '.env'), 'NOTES_TOKEN=secret\n');
    await writeFile(join(dir, '.env.local'), 'X=1\n');
    await writeFile(join(dir, '.env.example'), 'NOTES_TOKEN=\n');
    expect(await found(dir)).toEqual(['.env error SECRET_ENV_FILE', '.env.local error SECRET_ENV_FILE']);
  });

  it('reports private keys by name and by content, with the line of the key block', async () => {
    const dir = await copyOfValid('keys');
    await mkdir(join(dir, 'certs'));
    await writeFile(join(dir, 'certs', 'server.pem'), 'some text\n' + pem);
    await writeFile(join(dir, 'certs', 'public.pem'), '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n');
    await writeFile(join(dir, 'id_ed25519'), 'anything');
    await writeFile(join(dir, 'signing.key'), 'anything');
    await writeFile(join(dir, 'notes.asc'), pgp);
    expect(await found(dir)).toEqual([
      'certs/server.pem:2 error SECRET_PRIVATE_KEY',
      'id_ed25519 error SECRET_PRIVATE_KEY',
      'notes.asc:1 error SECRET_PRIVATE_KEY',
      'signing.key error SECRET_PRIVATE_KEY',
    ]);
  });

  it('reports key blocks and code hits of many files in file order (files are read concurrently)', async () => {
    const dir = await copyOfValid('many-files');
    await mkdir(join(dir, 'lib'));
    const names = Array.from({ length: 40 }, (_, i) => `k${String(i).padStart(2, '0')}`);
    // Larger files first in name order, so reads started earlier finish later.
    for (const [i, n] of names.entries()) {
      await writeFile(join(dir, 'lib', `${n}.pem`), `${'filler\n'.repeat((40 - i) * 500)}${pem}`);
      await writeFile(join(dir, 'lib', `${n}.js`), `${'// filler\n'.repeat((40 - i) * 500)}eval("1");\n`);
    }
    const lines = (i: number) => (40 - i) * 500 + 1;
    expect(await found(dir)).toEqual([
      ...names.map((n, i) => `lib/${n}.pem:${lines(i)} error SECRET_PRIVATE_KEY`),
      ...names.map((n, i) => `lib/${n}.js:${lines(i)} warning SCAN_EVAL`),
    ]);
  });

  it('does not read node_modules for key blocks (libraries embed example keys)', async () => {
    const dir = await copyOfValid('keys-in-deps');
    await mkdir(join(dir, 'node_modules', 'pgp'), { recursive: true });
    await writeFile(join(dir, 'node_modules', 'pgp', 'README.md'), pgp);
    expect(await found(dir)).toEqual([]);
  });
});

describe('validatePlugin: extension', () => {
  it('runs a given list of checks in order, and a check can add findings', async () => {
    const seen: string[] = [];
    const first: PluginCheck = (ctx) => { seen.push('first'); ctx.findings.warn('CUSTOM', 'custom finding', { where: 'x' }); };
    const second: PluginCheck = async (ctx) => { seen.push(`second ${(await ctx.files()).length > 0}`); };
    const r = await validatePlugin(fixture('valid-full'), { checks: [first, second] });
    expect(seen).toEqual(['first', 'second true']);
    expect(r.warnings.map((f) => f.code)).toEqual(['CUSTOM']);
  });
});
