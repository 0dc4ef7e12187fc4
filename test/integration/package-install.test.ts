// What `npm ci` and `npm i -g ./pmkit-*.tgz` meet: no install script of pmkit's own, every
// dependency's install script approved in allowScripts (npm 11 warns about the others), and a
// package that holds what bin/pm.js runs. (Installing the tarball needs the registry, so that
// part is checked by hand; see docs/development.md.)
import { execa } from 'execa';
import { cp, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../helpers/pm.js';

const pkg = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8'));
const lock = JSON.parse(await readFile(join(repoRoot, 'package-lock.json'), 'utf8'));
const tmp = await tempDir('pm-package-');
afterAll(() => tmp.cleanup());

describe('the pmkit package', () => {
  it('has no install-time script, so installing its tarball runs and warns about nothing of its own', () => {
    // prepare runs for tarball and git installs too; the build runs on pack instead (prepack).
    expect(Object.keys(pkg.scripts).filter((s) => ['preinstall', 'install', 'postinstall', 'prepare'].includes(s))).toEqual([]);
    expect(pkg.scripts.prepack).toBe('node scripts/build.mjs');
  });

  it('approves in allowScripts every dependency that has an install script, so npm ci prints no install-scripts warning', () => {
    const withScripts = Object.entries(lock.packages as Record<string, { hasInstallScript?: boolean }>)
      .filter(([path, p]) => path && p.hasInstallScript)
      .map(([path]) => path.split('node_modules/').pop()!);
    expect(withScripts.length).toBeGreaterThan(0);
    expect(withScripts.filter((name) => pkg.allowScripts?.[name] !== true)).toEqual([]);
  });

  it('packs what bin/pm.js runs and the manifest schema, and no build scripts', async () => {
    const r = await execa('npm', ['pack', '--dry-run', '--ignore-scripts', '--json'], { cwd: repoRoot, env: { npm_config_update_notifier: 'false' } });
    const files = new Set<string>(JSON.parse(r.stdout)[0].files.map((f: { path: string }) => f.path));
    for (const f of ['bin/pm.js', 'dist/bundle/main.js', 'dist/cli/main.js', 'dist/core/manifest/plugin.schema.json', 'dist/index.js', 'README.md']) expect(files.has(f), f).toBe(true);
    expect([...files].filter((f) => f.startsWith('scripts/') || f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
  }, 60_000);

  it('says how to build when bin/pm.js runs in a checkout that was installed but not built', async () => {
    await mkdir(join(tmp.dir, 'bin'));
    await cp(join(repoRoot, 'bin', 'pm.js'), join(tmp.dir, 'bin', 'pm.js'));
    await cp(join(repoRoot, 'package.json'), join(tmp.dir, 'package.json'));
    const r = await execa(process.execPath, [join(tmp.dir, 'bin', 'pm.js'), '--version'], { reject: false });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`error: pm is not built yet (no ${join(tmp.dir, 'dist', 'cli', 'main.js')})\nhint: run 'npm run build' in ${tmp.dir}`);
  });
});
