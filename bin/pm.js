#!/usr/bin/env node
// Launcher only: all logic lives in dist/cli/main.js.
import('../dist/cli/main.js').then((m) => m.main(process.argv));
