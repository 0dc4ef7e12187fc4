/**
 * Module hooks for `pm plugin-test` (registered by register.ts through module.register):
 * the specifiers `pmkit` and `pmkit/testing` resolve to this package, so a plugin's tests
 * need nothing installed in the plugin folder, and TypeScript test files are transpiled
 * in memory (nothing is written beside them; import.meta.url stays the file's own).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const TARGETS: Record<string, string> = {
  pmkit: new URL('../index.js', import.meta.url).href,
  'pmkit/testing': new URL('./index.js', import.meta.url).href,
};

type Next<A extends unknown[], R> = (...args: A) => Promise<R>;
interface ResolveResult { url: string; format?: string | null; shortCircuit?: boolean }
interface LoadResult { format: string; source?: string | ArrayBuffer | Uint8Array; shortCircuit?: boolean }

/** Maps pmkit's specifiers to this package; lets `./x.js` in a TypeScript test find `./x.ts`. */
export async function resolve(specifier: string, context: { parentURL?: string }, next: Next<[string, { parentURL?: string }], ResolveResult>): Promise<ResolveResult> {
  const target = TARGETS[specifier];
  if (target) return { url: target, shortCircuit: true };
  try {
    return await next(specifier, context);
  } catch (err) {
    const parent = context.parentURL;
    if (parent && /\.[mc]?ts$/.test(parent) && /^\.{1,2}\//.test(specifier) && /\.[mc]?js$/.test(specifier)) {
      const url = new URL(specifier.replace(/js$/, 'ts'), parent);
      if (existsSync(fileURLToPath(url))) return { url: url.href, shortCircuit: true };
    }
    throw err;
  }
}

let ts: typeof import('typescript') | undefined;

/** Transpiles `.ts`/`.mts` files outside node_modules to ES modules (types stripped, no type check). */
export async function load(url: string, context: { format?: string | null }, next: Next<[string, { format?: string | null }], LoadResult>): Promise<LoadResult> {
  if (url.startsWith('file:') && /\.m?ts$/.test(url) && !url.includes('/node_modules/')) {
    ts ??= (await import('typescript')).default;
    const file = fileURLToPath(url);
    const out = ts.transpileModule(await readFile(file, 'utf8'), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false, inlineSourceMap: true, inlineSources: true, verbatimModuleSyntax: false },
    });
    return { format: 'module', source: out.outputText, shortCircuit: true };
  }
  return next(url, context);
}
