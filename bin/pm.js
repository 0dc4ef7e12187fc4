#!/usr/bin/env node
// Launcher only: all logic lives in dist/. scripts/build.mjs bundles the CLI into dist/bundle/
// (faster to load); a dist/ built by plain tsc has only dist/cli/main.js, which works the same.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundled = new URL('../dist/bundle/main.js', import.meta.url);
const plain = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(bundled) && !existsSync(plain)) {
  // A fresh checkout: npm ci installs but does not build (so a packed pmkit has no install scripts).
  process.stderr.write(`error: pm is not built yet (no ${fileURLToPath(plain)})\nhint: run 'npm run build' in ${fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '')}\n`);
  process.exit(1);
}
import((existsSync(bundled) ? bundled : plain).href).then((m) => m.main(process.argv));
