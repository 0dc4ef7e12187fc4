// npm run demo: the main job, end to end, in a temporary folder. Grows with each feature.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'pm-demo-'));
const home = join(work, 'home');

function step(title, args) {
  console.log(`\n$ pm ${args.join(' ')}    # ${title}`);
  const r = spawnSync(process.execPath, [join(root, 'bin', 'pm.js'), '--home', home, ...args], { stdio: 'inherit', cwd: work });
  if (r.status !== 0) {
    console.error(`demo failed at: pm ${args.join(' ')} (exit ${r.status})`);
    process.exit(1);
  }
}

try {
  step('check this machine', ['doctor']);
  console.log(`\nDemo done in ${work}. Next: pm --help`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
