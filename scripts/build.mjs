// Compiles src/ to dist/ and copies the non-TypeScript assets (JSON schemas) beside the output.
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync, statSync, mkdirSync, writeFileSync } from 'node:fs';
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

// V8 code cache of openpgp (src/core/sign/openpgp-code-cache.ts): made after running the module,
// so it also holds the functions compiled while it initialises.
const { compileOpenpgp, OPENPGP_CODE_CACHE } = await import(new URL('../dist/core/sign/openpgp-code-cache.js', import.meta.url).href);
const openpgpCompiled = compileOpenpgp();
openpgpCompiled.run();
writeFileSync(OPENPGP_CODE_CACHE, openpgpCompiled.script.createCachedData());

// Bundle the CLI (bin/pm.js runs dist/bundle/main.js). Node 20 spends ~0.5 ms per ES module on
// resolving and linking, and a command loads 60–100 of them: one file per command path instead
// takes ~25 ms off every pm start. Each command's dynamic import becomes its own chunk, so
// `pm --version` still loads only what it needs. Only commander, chalk, semver and tar are inlined;
// other packages stay external (loaded from node_modules as before). dist/ itself is untouched
// (the library entry, the plugin runner and the tests use it), and code that finds files next to
// itself keeps doing so: `import.meta.url` in each module becomes the URL of its own dist file.
const { build } = await import('esbuild');
const bundleDir = join(root, 'dist/bundle');
// Chunk names carry a content hash: clear out those of earlier builds.
rmSync(bundleDir, { recursive: true, force: true });
const inlinePackages = /^(commander|chalk|semver|tar)(\/|$)|^#/;
await build({
  absWorkingDir: root,
  entryPoints: { main: join(root, 'dist/cli/main.js') },
  outdir: bundleDir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunk-[hash]',
  // Bundled CommonJS (commander, semver) calls require() for Node's built-ins.
  banner: { js: "import { createRequire as __pmCreateRequire } from 'node:module';\nconst require = __pmCreateRequire(import.meta.url);" },
  logLevel: 'warning',
  plugins: [{
    name: 'pm-dist',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (a) => (inlinePackages.test(a.path) || a.path.startsWith('node:') ? undefined : { path: a.path, external: true }));
      b.onLoad({ filter: /\.js$/ }, (a) => {
        if (!a.path.startsWith(join(root, 'dist') + '/')) return undefined;
        const text = readFileSync(a.path, 'utf8');
        const other = /\bimport\.meta(?!\.url\b)/.exec(text);
        if (other) throw new Error(`${relative(root, a.path)}: only import.meta.url is supported in bundled code (found "${text.slice(other.index, other.index + 24)}")`);
        const own = JSON.stringify(relative(bundleDir, a.path).split('\\').join('/'));
        return { contents: text.replace(/\bimport\.meta\.url\b/g, `new URL(${own}, import.meta.url).href`), loader: 'js', resolveDir: dirname(a.path) };
      });
    },
  }],
});
