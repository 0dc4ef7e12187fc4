import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/** V8's code cache of openpgp's CommonJS build, written beside this module by scripts/build.mjs. */
export const OPENPGP_CODE_CACHE = new URL('./openpgp.code-cache', import.meta.url);

/** openpgp's CommonJS build (what `require('openpgp')` loads). */
export function openpgpCjsFile(): string {
  return createRequire(import.meta.url).resolve('openpgp');
}

/** Compiles openpgp's CommonJS build as Node's loader would, with V8 code cache data when given. */
export function compileOpenpgp(cachedData?: Buffer): { script: Script; run(): typeof import('openpgp') } {
  const file = openpgpCjsFile();
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  return {
    script,
    run() {
      const module = { exports: {} as typeof import('openpgp') };
      (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
      return module.exports;
    },
  };
}

/**
 * openpgp loaded with the build's code cache: V8 then skips parsing and compiling most of its
 * 400 KB (~8 ms of the ~33 ms openpgp takes to load). Undefined when there is no cache (running
 * from src/); a cache from another Node version is rejected by V8 and the code is compiled as usual.
 */
export function loadOpenpgpWithCodeCache(): typeof import('openpgp') | undefined {
  let cachedData: Buffer;
  try {
    cachedData = readFileSync(OPENPGP_CODE_CACHE);
  } catch {
    return undefined;
  }
  return compileOpenpgp(cachedData).run();
}
