// Packaging and verification speed (issue 3): plugin-package against `tar -czf`, plugin-verify against `sha512sum`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { median, pmBin, report, timeCommand } from './lib.mjs';

/** Runs a and b interleaved n times; returns both medians. */
function measure(a, b, n) {
  const ta = [], tb = [];
  a(); b(); // warm the file cache
  for (let i = 0; i < n; i++) { ta.push(a()); tb.push(b()); }
  return { a: median(ta), b: median(tb) };
}

const MiB = 1024 * 1024;

function manifest(dir, name) {
  writeFileSync(join(dir, 'plugin.json'), JSON.stringify({ name, version: '1.0.0', description: 'bench', main: 'index.js' }));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'index.js'), 'export default {};\n');
}

/** 2,000 files / 20 MiB of text-like content (base64 of random bytes): 100 own files, the rest a production dependency. */
function bigPlugin(dir) {
  manifest(dir, 'big');
  const per = Math.floor((20 * MiB) / 2000);
  for (let i = 0; i < 1997; i++) {
    const sub = i < 100 ? join(dir, 'lib', `g${i % 10}`) : join(dir, 'node_modules', 'dep', `m${i % 40}`);
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `f${i}.js`), `// ${randomBytes(Math.ceil((per * 3) / 4)).toString('base64').slice(0, per - 4)}\n`);
  }
}

export default function signBench() {
  const root = mkdtempSync(join(tmpdir(), 'pm-bench-sign-'));
  try {
    const env = { ...process.env, NO_COLOR: '1' };
    const pm = (args) => timeCommand(process.execPath, [pmBin, ...args], { env });

    // plugin-package of 2,000 files / 20 MiB vs tar -czf of the same folder.
    const plugin = join(root, 'big');
    mkdirSync(plugin);
    bigPlugin(plugin);
    const out = join(root, 'out');
    const pack = measure(
      () => pm(['plugin-package', plugin, '--out', out]),
      () => timeCommand('tar', ['-czf', join(root, 'baseline.tgz'), '-C', root, 'big']),
      5,
    );
    report('plugin-package 2,000 files / 20 MiB (median of 5)', { value: pack.a, baseline: pack.b, baselineName: 'tar -czf', target: 1.5 });

    // plugin-verify of a 20 MiB package vs sha512sum of the same file.
    const heavy = join(root, 'heavy');
    mkdirSync(heavy);
    manifest(heavy, 'heavy');
    for (let i = 0; i < 4; i++) writeFileSync(join(heavy, `blob${i}.bin`), randomBytes(5 * MiB));
    const home = join(root, 'home');
    for (const args of [['keys-generate', '--name', 'Bench', '--home', home], ['plugin-package', heavy, '--out', out], ['plugin-sign', join(out, 'heavy-1.0.0.tgz'), '--home', home]]) {
      const r = spawnSync(process.execPath, [pmBin, ...args], { env, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`pm ${args[0]} failed: ${r.stderr}`);
    }
    const tgz = join(out, 'heavy-1.0.0.tgz');
    const verify = measure(() => pm(['plugin-verify', tgz, '--home', home]), () => timeCommand('sha512sum', [tgz]), 15);
    report('plugin-verify of a 20 MiB package (median of 15)', { value: verify.a, baseline: verify.b, baselineName: 'sha512sum', target: 3 });
    const start = measure(() => pm(['--version']), () => timeCommand(process.execPath, ['-e', '0']), 15);
    report('  of which: pm --version (median of 15)', { value: start.a, baseline: start.b, baselineName: 'node -e 0' });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
