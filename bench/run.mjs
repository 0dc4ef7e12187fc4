// npm run bench: prints one line per figure. Timings are ratios against a baseline measured in the same run.
// `node bench/run.mjs --only <name>` (or just `<name>`) runs the suites whose file name contains <name>.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadavg } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const at = argv.indexOf('--only');
if (at !== -1 && !argv[at + 1]) {
  console.error('bench: --only needs a suite name, e.g. --only serve');
  process.exit(2);
}
const only = at !== -1 ? argv[at + 1] : argv[0];
const suites = readdirSync(here).filter((f) => f.endsWith('.bench.mjs') && (!only || f.includes(only))).sort();
if (suites.length === 0) {
  console.error(`bench: no suite matches "${only}" (suites are bench/*.bench.mjs)`);
  process.exit(2);
}
console.log(`bench run at ${new Date().toISOString()}, ${loadavg()}`);
for (const file of suites) {
  console.log(`# ${file.replace('.bench.mjs', '')} (${loadavg()})`);
  const mod = await import(pathToFileURL(join(here, file)).href);
  await mod.default();
}
