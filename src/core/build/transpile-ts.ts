import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { PmError } from '../errors.js';
import { listFilesRecursive } from '../fs/list-files.js';
import { readRegularText } from '../fs/read-regular-file.js';

type TS = typeof import('typescript');

/** Source files transpileModule turns into JavaScript (declarations have no output). */
const SOURCE = /(?<!\.d)\.(ts|mts|tsx)$/;

/** Lists the TypeScript sources under `dir`, skipping node_modules. */
function sources(dir: string): Promise<string[]> {
  return listFilesRecursive(dir, { accept: (name) => SOURCE.test(name) });
}

/** Whether any source (or tsconfig.json) is newer than its output, or an output is missing. */
async function isStale(dir: string, files: string[], targetOf: (file: string) => string): Promise<boolean> {
  const mtime = (p: string) => stat(p).then((st) => st.mtimeMs, () => undefined);
  const config = (await mtime(join(dir, 'tsconfig.json'))) ?? 0;
  for (const file of files) {
    const out = await mtime(targetOf(file));
    if (out === undefined || out < Math.max(config, (await mtime(file)) ?? Infinity)) return true;
  }
  return false;
}

/** Reads the plugin's tsconfig.json compiler options, if it has one; rootDir/outDir default to src/dist. */
async function readOptions(ts: TS, dir: string): Promise<{ options: import('typescript').CompilerOptions; rootDir: string; outDir: string }> {
  const file = join(dir, 'tsconfig.json');
  let raw: Record<string, unknown> = {};
  let text: string | undefined;
  try {
    text = await readRegularText(file, { what: 'tsconfig.json', maxBytes: 1024 * 1024 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (text !== undefined) {
    const parsed = ts.parseConfigFileTextToJson(file, text);
    if (parsed.error) {
      throw new PmError('TSCONFIG_INVALID', `tsconfig.json: ${ts.flattenDiagnosticMessageText(parsed.error.messageText, ' ')}`, {
        hint: 'fix the JSON in tsconfig.json', data: { file },
      });
    }
    raw = ((parsed.config as { compilerOptions?: Record<string, unknown> }).compilerOptions) ?? {};
  }
  const { options } = ts.convertCompilerOptionsFromJson(raw, dir, 'tsconfig.json');
  return {
    options,
    rootDir: resolve(dir, options.rootDir ?? 'src'),
    outDir: resolve(dir, options.outDir ?? 'dist'),
  };
}

/**
 * Transpiles a TypeScript plugin's sources (tsconfig rootDir, default src/) to ES modules
 * in outDir (default dist/) with TypeScript's transpileModule: no type check and no
 * node_modules needed, so a plugin works without `npm install`. Returns the written
 * files relative to `dir` ('/' separators). Throws a validation error on a syntax error.
 * With `ifStale`, writes nothing (and returns []) when every output is newer than its source.
 */
export async function transpilePlugin(pluginDir: string, opts: { ifStale?: boolean } = {}): Promise<string[]> {
  const dir = resolve(pluginDir);
  // Heavy (~10 MB of JavaScript): loaded only by the commands that build.
  const { default: ts } = await import('typescript');
  const { options, rootDir, outDir } = await readOptions(ts, dir);
  const compilerOptions: import('typescript').CompilerOptions = {
    ...options,
    // Plugins are ES modules whatever tsconfig says: transpileModule alone cannot tell
    // ESM from CommonJS under NodeNext, and the host imports the entry.
    module: ts.ModuleKind.ESNext,
    moduleResolution: undefined, // resolution is the type checker's business, not ours
    target: options.target ?? ts.ScriptTarget.ES2022,
    sourceMap: false,
    inlineSourceMap: false,
    declaration: false,
    noEmit: false,
  };
  for (const [key, path] of [['rootDir', rootDir], ['outDir', outDir]] as const) {
    if (path !== dir && !path.startsWith(dir + sep)) {
      throw new PmError('TSCONFIG_OUTSIDE', `tsconfig.json ${key} ${path} is outside the plugin folder`, {
        hint: `keep ${key} inside the plugin (the defaults are src and dist)`,
      });
    }
  }
  const inOutDir = (p: string) => p.startsWith(outDir + sep);
  const targetOf = (file: string) => join(outDir, relative(rootDir, file)).replace(/\.(ts|tsx)$/, '.js').replace(/\.mts$/, '.mjs');
  const files = (await sources(rootDir)).filter((f) => !inOutDir(f));
  // Up to date: every output exists and is no older than its source (and than tsconfig.json).
  if (opts.ifStale && !(await isStale(dir, files, targetOf))) return [];
  const written: string[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    const out = ts.transpileModule(text, { compilerOptions, fileName: file, reportDiagnostics: true });
    // Only the source's own syntax errors: option diagnostics have no file and no bearing on the output.
    const problem = out.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error && d.file);
    if (problem) {
      const where = problem.start !== undefined ? problem.file!.getLineAndCharacterOfPosition(problem.start) : undefined;
      const at = `${relative(dir, file).split(sep).join('/')}${where ? `:${where.line + 1}:${where.character + 1}` : ''}`;
      throw new PmError('TS_SYNTAX', `${at}: ${ts.flattenDiagnosticMessageText(problem.messageText, ' ')}`, {
        hint: 'fix the syntax error, then run the command again', data: { file: at },
      });
    }
    const target = targetOf(file);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, out.outputText);
    written.push(relative(dir, target).split(sep).join('/'));
  }
  return written;
}
