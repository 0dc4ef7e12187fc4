import { readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PmError } from '../errors.js';
import { listFilesRecursive } from '../fs/list-files.js';
import { INITIAL_VERSION, type ScaffoldAnswers } from './plugin-spec.js';
import { checkPmSpec, defaultPmSpec, pmDependency, pmMajorRange } from './pm-spec.js';

/** The templates/ folder shipped in the package (same depth from src/ and dist/). */
export const TEMPLATES_DIR = fileURLToPath(new URL('../../../templates/', import.meta.url));

/** One generated file: a plugin-relative path with `/` separators, and its text. */
export interface RenderedFile {
  path: string;
  content: string;
}

/** The values templates see. Every field is always present (templates compile in strict mode). */
export interface TemplateContext extends ScaffoldAnswers {
  /** Title Case of the name, for headings. */
  title: string;
  ts: boolean;
  js: boolean;
  /** False for prompt plugins: no entry module, no `main`, nothing to build. */
  hasCode: boolean;
  langName: 'JavaScript' | 'TypeScript';
  ext: 'js' | 'ts';
  version: string;
  /** The manifest's `main`: index.js, or dist/index.js built from src/index.ts. */
  main: string;
  /** The source file an author edits. */
  entry: string;
  /** engines.pm: the running pm's major. */
  pmRange: string;
  /** What the CI workflow installs pm from (--pm-spec, default pmkit@<pmRange>). */
  pmSpec: string;
  /** devDependencies.pmkit of package.json for that spec. */
  pmDependency: string;
  schemaUrl: string;
}

/**
 * The manifest's `$schema`: a path into the plugin's own node_modules, which editors
 * (VS Code among them) resolve from the file, offline and before pmkit is on npm.
 */
export const LOCAL_SCHEMA_PATH = './node_modules/pmkit/dist/core/manifest/plugin.schema.json';

/** Builds the template context for a set of answers. */
export function templateContext(a: ScaffoldAnswers, pmSpec: string = defaultPmSpec()): TemplateContext {
  const ts = a.lang === 'ts';
  return {
    ...a,
    title: a.name.split('-').filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' '),
    ts,
    js: !ts,
    hasCode: a.type !== 'prompt',
    langName: ts ? 'TypeScript' : 'JavaScript',
    ext: a.lang,
    version: INITIAL_VERSION,
    main: ts ? 'dist/index.js' : 'index.js',
    entry: ts ? 'src/index.ts' : 'index.js',
    pmRange: pmMajorRange(),
    pmSpec,
    pmDependency: pmDependency(pmSpec),
    schemaUrl: LOCAL_SCHEMA_PATH,
  };
}

/** Lists the files under `dir` as `/`-separated paths relative to it; none when it is missing. */
async function listFiles(dir: string): Promise<string[]> {
  return (await listFilesRecursive(dir, { includeNodeModules: true })).map((p) => relative(dir, p).split(sep).join('/')).sort();
}

/**
 * Maps a template path to the output path for a language, or undefined when the file
 * is not for it. A top-level `js/` or `ts/` folder holds files for that language only;
 * `dot-x` segments become `.x` (npm would drop a real .gitignore from the package);
 * one trailing `.hbs` is removed.
 */
export function outputPath(templatePath: string, lang: string): string | undefined {
  const parts = templatePath.split('/');
  if (parts.length > 1 && (parts[0] === 'js' || parts[0] === 'ts')) {
    if (parts[0] !== lang) return undefined;
    parts.shift();
  }
  const out = parts.map((p) => (p.startsWith('dot-') ? '.' + p.slice(4) : p)).join('/');
  return out.endsWith('.hbs') ? out.slice(0, -4) : out;
}

/** Whether a generated file is wanted: tests and CI are optional. */
function wanted(path: string, a: ScaffoldAnswers): boolean {
  if (!a.tests && path.startsWith('test/')) return false;
  if (!a.ci && path.startsWith('.github/')) return false;
  return true;
}

/**
 * Renders a plugin in memory from templates/: `_common/` then `<type>/` (a later file
 * with the same output path wins), partials from `_partials/`. Every file is a
 * Handlebars template; `\{{x}}` writes a literal `{{x}}` (for prompt templates), and
 * one that renders to whitespace only is left out.
 */
export async function renderTemplates(answers: ScaffoldAnswers, options: { templatesDir?: string; pmSpec?: string } = {}): Promise<RenderedFile[]> {
  if (options.pmSpec !== undefined) checkPmSpec(options.pmSpec);
  const root = options.templatesDir ?? TEMPLATES_DIR;
  const { default: Handlebars } = await import('handlebars');
  const hb = Handlebars.create();
  // Strict mode does not check helper arguments, so the helper catches a misspelt value itself.
  hb.registerHelper('json', (value: unknown, options: { name: string; loc?: { start: { line: number } } }) => {
    if (value === undefined) throw new Error(`json helper given an undefined value at line ${options.loc?.start.line ?? '?'}`);
    return JSON.stringify(value);
  });

  for (const file of await listFiles(join(root, '_partials'))) {
    hb.registerPartial(file.replace(/\.hbs$/, ''), await readFile(join(root, '_partials', file), 'utf8'));
  }

  const layers = ['_common', answers.type];
  const sources = new Map<string, string>();
  for (const layer of layers) {
    const files = await listFiles(join(root, layer));
    if (layer === answers.type && files.length === 0) {
      throw new PmError('TEMPLATE_MISSING', `no templates for plugin type "${answers.type}" in ${root}`, {
        hint: 'reinstall pm; its templates/ folder is incomplete',
      });
    }
    for (const file of files) {
      const out = outputPath(file, answers.lang);
      if (out !== undefined && wanted(out, answers)) sources.set(out, join(root, layer, file));
    }
  }

  const context = templateContext(answers, options.pmSpec);
  const rendered: RenderedFile[] = [];
  for (const [path, source] of [...sources].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    try {
      const template = hb.compile(await readFile(source, 'utf8'), { noEscape: true, strict: true });
      const content = template(context);
      // A template that renders to nothing is not wanted for these answers (e.g. tsconfig.json of a prompt plugin).
      if (content.trim() !== '') rendered.push({ path, content });
    } catch (err) {
      throw new PmError('TEMPLATE_BROKEN', `template ${relative(root, source)} does not render: ${(err as Error).message.split('\n')[0]}`, {
        hint: 'this is a bug in the template; report it with the message above',
        cause: err,
      });
    }
  }
  return rendered;
}
