import { lstat, realpath } from 'node:fs/promises';
import { extname, isAbsolute, join, resolve } from 'node:path';
import { readRegularText } from '../fs/read-regular-file.js';
import { isWithin } from '../fs/real-path.js';
import type { PluginCheckContext } from './types.js';

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx']);

/** Whether `<dir>/package.json` says "type": "module". */
async function isModulePackage(dir: string): Promise<boolean> {
  try {
    return (JSON.parse(await readRegularText(join(dir, 'package.json'), { what: 'package.json', maxBytes: 1024 * 1024 })) as { type?: unknown }).type === 'module';
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(() => true, () => false);
}

/** `main` is a JavaScript file inside the folder, and an ES module (DESIGN §2). */
export async function checkEntry(ctx: PluginCheckContext): Promise<void> {
  const main = ctx.manifest?.main;
  if (typeof main !== 'string' || main === '') return; // the manifest rules report a missing or mistyped main
  const { findings } = ctx;
  const where = 'main';
  if (isAbsolute(main) || /^[A-Za-z]:/.test(main) || main.split(/[\\/]/).includes('..')) {
    findings.error('ENTRY_OUTSIDE', `${JSON.stringify(main)} is outside the plugin folder`, { where, hint: 'give the entry\'s path relative to the plugin folder, e.g. index.js' });
    return;
  }
  const ext = extname(main);
  if (TYPESCRIPT.has(ext)) {
    findings.error('ENTRY_NOT_JS', `${JSON.stringify(main)} is TypeScript, which Node 20 does not run`, { where, hint: 'build to JavaScript (e.g. dist/index.js) and point main at the built file' });
    return;
  }
  if (!['.js', '.mjs', '.cjs'].includes(ext)) {
    findings.error('ENTRY_NOT_JS', `${JSON.stringify(main)} is not a JavaScript module (.js, .mjs)`, { where, hint: 'point main at the plugin\'s entry module, e.g. index.js' });
    return;
  }
  const file = resolve(ctx.dir, main);
  let st;
  try {
    st = await lstat(file);
  } catch {
    // A TypeScript plugin fresh from plugin-create has not been built yet: say so, but
    // leave refusing it to plugin-package and install, which need the built entry.
    if (await exists(join(ctx.dir, 'tsconfig.json'))) {
      findings.warn('ENTRY_NOT_BUILT', `${JSON.stringify(main)} does not exist yet (a TypeScript plugin that has not been built)`, {
        where,
        hint: 'run pm plugin-build (plugin-validate, plugin-test and plugin-package also build it first)',
      });
      return;
    }
    findings.error('ENTRY_MISSING', `${JSON.stringify(main)} does not exist`, { where, hint: `create ${main}, or fix main (a TypeScript plugin builds it first: pm plugin-build)` });
    return;
  }
  if (st.isSymbolicLink() && !isWithin(await realpath(file).catch(() => file), await realpath(ctx.dir))) {
    findings.error('ENTRY_OUTSIDE', `${JSON.stringify(main)} links outside the plugin folder`, { where, hint: 'copy the entry into the plugin folder' });
    return;
  }
  if (!st.isFile() && !st.isSymbolicLink()) {
    findings.error('ENTRY_NOT_FILE', `${JSON.stringify(main)} is not a file`, { where, hint: 'point main at the entry module file, e.g. index.js' });
    return;
  }
  if (ext === '.cjs' || (ext === '.js' && !(await isModulePackage(ctx.dir)))) {
    findings.warn('ENTRY_NOT_ESM', `${JSON.stringify(main)} loads as CommonJS: plugin entries are ES modules`, {
      where,
      hint: ext === '.cjs' ? 'rename it to .mjs (or .js with "type": "module")' : 'add a package.json with "type": "module" to the plugin folder, or name the entry index.mjs',
    });
  }
}
