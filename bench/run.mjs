// npm run bench: prints one line per figure. Timings are ratios against a baseline measured in the same run.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const suites = readdirSync(here).filter((f) => f.endsWith('.bench.mjs') && (!only || f.includes(only))).sort();
for (const file of suites) {
  const mod = await import(pathToFileURL(join(here, file)).href);
  await mod.default();
}
