import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findInstallScripts } from '../../../../src/core/sources/npm-scripts.js';

let prefix: string;
beforeEach(async () => { prefix = await mkdtemp(join(tmpdir(), 'pm-npm-scripts-')); });
afterEach(async () => { await rm(prefix, { recursive: true, force: true }); });

/** Writes an installed tree: the hidden lockfile and each package's files. */
async function tree(pkgs: Record<string, { json: Record<string, unknown>; files?: Record<string, string>; lock?: Record<string, unknown> }>): Promise<void> {
  const packages: Record<string, unknown> = {};
  for (const [path, p] of Object.entries(pkgs)) {
    await mkdir(join(prefix, path), { recursive: true });
    await writeFile(join(prefix, path, 'package.json'), JSON.stringify(p.json));
    for (const [f, body] of Object.entries(p.files ?? {})) await writeFile(join(prefix, path, f), body);
    packages[path] = { version: p.json.version, ...p.lock };
  }
  await writeFile(join(prefix, 'node_modules', '.package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages }));
}

describe('findInstallScripts', () => {
  it('finds nothing in a tree without install scripts (test and prepare scripts do not count)', async () => {
    await tree({ 'node_modules/a': { json: { name: 'a', version: '1.0.0', scripts: { test: 'x', prepare: 'y' } } } });
    expect(await findInstallScripts(prefix)).toEqual([]);
  });

  it('names each package with preinstall, install or postinstall, also nested dependencies', async () => {
    await tree({
      'node_modules/a': { json: { name: 'a', version: '1.0.0' } },
      'node_modules/a/node_modules/@s/dep': { json: { name: '@s/dep', version: '2.0.0', scripts: { postinstall: 'node evil.js' } } },
      'node_modules/b': { json: { name: 'b', version: '1.0.0', scripts: { preinstall: 'x', install: 'y' } } },
    });
    expect(await findInstallScripts(prefix)).toEqual([
      { package: '@s/dep', version: '2.0.0', path: 'node_modules/a/node_modules/@s/dep', reason: 'postinstall: node evil.js' },
      { package: 'b', version: '1.0.0', path: 'node_modules/b', reason: 'preinstall: x; install: y' },
    ]);
  });

  it('counts a binding.gyp (node-gyp would run) and npm\'s own hasInstallScript mark', async () => {
    await tree({
      'node_modules/native': { json: { name: 'native', version: '1.0.0' }, files: { 'binding.gyp': '{}' } },
      'node_modules/marked': { json: { name: 'marked', version: '1.0.0' }, lock: { hasInstallScript: true } },
    });
    expect((await findInstallScripts(prefix)).map((f) => [f.package, f.reason])).toEqual([
      ['native', 'binding.gyp (npm would run node-gyp rebuild)'],
      ['marked', 'npm records an install script for it'],
    ]);
  });
});
