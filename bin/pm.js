#!/usr/bin/env node
// Launcher only: all logic lives in dist/. scripts/build.mjs bundles the CLI into dist/bundle/
// (faster to load); a dist/ built by plain tsc has only dist/cli/main.js, which works the same.
import { existsSync } from 'node:fs';

const bundled = new URL('../dist/bundle/main.js', import.meta.url);
const entry = existsSync(bundled) ? bundled.href : '../dist/cli/main.js';
import(entry).then((m) => m.main(process.argv));
