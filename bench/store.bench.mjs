// plugin-install of a signed 1 MiB package against `npm install --offline` of the same tgz (issue: store).
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compare, pmBin, repoRoot, report, timeCommand } from './lib.mjs';

const dist = (p) => import(pathToFileURL(join(repoRoot, 'dist', p)).href);

export default async function storeBench() {
  const { packPlugin } = await dist('core/pack/pack-plugin.js');
  const { signPackage } = await dist('core/sign/sign-package.js');
  const { openKeyring } = await dist('core/sign/keyring.js');
  const root = mkdtempSync(join(tmpdir(), 'pm-bench-store-'));
  try {
    // A plugin of about 1 MiB that does not compress: 22 files of random bytes (base64 text).
    const src = join(root, 'src');
    mkdirSync(join(src, 'lib'), { recursive: true });
    writeFileSync(join(src, 'plugin.json'), JSON.stringify({ name: 'bench', version: '1.0.0', description: 'bench plugin', main: 'index.js' }));
    writeFileSync(join(src, 'package.json'), JSON.stringify({ name: 'bench', version: '1.0.0', type: 'module' }));
    writeFileSync(join(src, 'index.js'), 'export default {};\n');
    for (let i = 0; i < 22; i++) writeFileSync(join(src, 'lib', `chunk${i}.js`), `export default '${randomBytes(48 * 1024).toString('base64')}';\n`);
    const keysHome = join(root, 'keys-home');
    await openKeyring(keysHome).generate({ name: 'Bench' });
    const { file: tgz, size } = await packPlugin(src, { outDir: join(root, 'pkg') });
    await signPackage(tgz, { home: keysHome });

    let i = 0;
    const pmInstall = () => {
      const home = join(root, `home${i++}`);
      cpSync(join(keysHome, 'keys'), join(home, 'keys'), { recursive: true });
      const ms = timeCommand(process.execPath, [pmBin, 'plugin-install', tgz, '--home', home]);
      rmSync(home, { recursive: true, force: true });
      return ms;
    };
    const npmCli = process.env.npm_execpath;
    const npmInstall = () => {
      const dir = join(root, `npm${i++}`);
      mkdirSync(dir);
      const args = ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', tgz];
      const ms = npmCli ? timeCommand(process.execPath, [npmCli, ...args], { cwd: dir }) : timeCommand('npm', args, { cwd: dir });
      rmSync(dir, { recursive: true, force: true });
      return ms;
    };
    const { a, b } = compare(pmInstall, npmInstall, 7);
    report(`plugin-install signed ${(size / 1024 / 1024).toFixed(2)} MiB package (median of 7)`, { value: a, baseline: b, baselineName: 'npm install --offline', target: 0.5 });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
