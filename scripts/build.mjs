// Compiles src/ to dist/ and copies the non-TypeScript assets (JSON schemas) beside the output.
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, statSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

function copyAssets(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) copyAssets(p);
    else if (name.endsWith('.json')) {
      const out = join(root, 'dist', relative(join(root, 'src'), p));
      mkdirSync(dirname(out), { recursive: true });
      cpSync(p, out);
    }
  }
}
copyAssets(join(root, 'src'));

// Precompile the manifest validator (ajv standalone): compiling the schema at run time costs
// ~100 ms on every command that reads a manifest. src/core/manifest/ajv.ts falls back to
// compiling when this file is absent (tests that run the TypeScript sources).
const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020').default;
const standaloneCode = require('ajv/dist/standalone').default;
const schema = JSON.parse(readFileSync(join(root, 'src/core/manifest/plugin.schema.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true, code: { source: true } });
writeFileSync(join(root, 'dist/core/manifest/plugin-schema.validate.cjs'), standaloneCode(ajv, ajv.compile(schema)));
