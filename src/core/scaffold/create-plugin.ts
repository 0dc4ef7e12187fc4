import { randomBytes } from 'node:crypto';
import { lstatSync, readdirSync, statSync } from 'node:fs';
import { mkdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { isPmError, PmError } from '../errors.js';
import { checkPmSpec } from './pm-spec.js';
import { renderTemplates } from './render-templates.js';
import type { PluginLang, PluginType, ScaffoldAnswers } from './plugin-spec.js';

export interface CreatePluginOptions extends ScaffoldAnswers {
  /** The folder the plugin folder is created in. */
  parent: string;
  /** Write into a non-empty folder: same-named files are replaced, others kept. */
  force?: boolean;
  /** Where the plugin's package.json and CI workflow get pmkit (an npm spec; default pmkit@^<major>.0.0). */
  pmSpec?: string;
  /** Another templates/ folder (tests, custom templates). */
  templatesDir?: string;
}

/** What plugin-create made; the `--json` shape. */
export interface CreatedPlugin {
  dir: string;
  name: string;
  type: PluginType;
  lang: PluginLang;
  /** Every file written, relative to `dir`, '/' separators, sorted. */
  files: string[];
}

/** Why a folder cannot receive a new plugin without --force, or undefined when it can. */
export function targetProblem(dir: string): 'not-a-folder' | 'not-empty' | undefined {
  let st;
  try {
    st = lstatSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') return 'not-a-folder'; // a file where a parent folder should be
    throw err;
  }
  if (!st.isDirectory()) return 'not-a-folder';
  return readdirSync(dir).length > 0 ? 'not-empty' : undefined;
}

/** Throws the refusal for a target folder that is in the way. */
function checkTarget(dir: string, force: boolean): void {
  const problem = targetProblem(dir);
  if (problem === 'not-a-folder') {
    throw new PmError('TARGET_NOT_FOLDER', `${dir} exists and is not a folder`, {
      hint: 'choose another plugin name or another --dir', data: { dir },
    });
  }
  if (problem === 'not-empty' && !force) {
    throw new PmError('TARGET_NOT_EMPTY', `${dir} already exists and is not empty; nothing was written`, {
      hint: 'choose another plugin name or --dir, or pass --force to write into it (same-named files are replaced)',
      data: { dir },
    });
  }
}

/**
 * Creates `<parent>/<name>/` from the templates: renders in memory, writes into a
 * temporary folder beside the target, builds TypeScript sources (so the result
 * validates as created), then renames it into place. A failure removes the temporary
 * folder, so nothing half-written is left behind.
 */
export async function createPlugin(options: CreatePluginOptions): Promise<CreatedPlugin> {
  const parent = resolve(options.parent);
  const dir = join(parent, options.name);
  if (options.pmSpec !== undefined) checkPmSpec(options.pmSpec);
  checkParent(parent);
  checkTarget(dir, Boolean(options.force));

  const rendered = await renderTemplates(options, { templatesDir: options.templatesDir, pmSpec: options.pmSpec });

  const temp = join(parent, `.${options.name}.pm-create-${randomBytes(4).toString('hex')}`);
  let madeParent: string | undefined;
  try {
    madeParent = await mkdir(parent, { recursive: true });
    await mkdir(temp);
    for (const file of rendered) {
      const path = join(temp, file.path);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.content);
    }
    const files = rendered.map((f) => f.path);
    if (options.lang === 'ts') {
      const { transpilePlugin } = await import('../build/transpile-ts.js');
      files.push(...(await transpilePlugin(temp)));
    }
    await moveIntoPlace(temp, dir, files);
    return { dir, name: options.name, type: options.type, lang: options.lang, files: [...new Set(files)].sort() };
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    // Only a folder chain this call created, so an existing --dir is never removed.
    if (madeParent) await rm(madeParent, { recursive: true, force: true });
    if (isPmError(err)) throw err;
    // Under --force files already moved into an existing folder stay; otherwise nothing is left.
    const left = targetProblem(dir) === 'not-empty' ? 'some files may have been replaced' : 'nothing was written';
    throw new PmError('CREATE_FAILED', `could not create ${dir}: ${(err as Error).message}; ${left}`, {
      hint: `check that you can write to ${parent}, or choose another --dir`, cause: err, data: { dir },
    });
  }
}

/** Refuses a --dir that exists but is not a folder. */
function checkParent(parent: string): void {
  let st;
  try {
    st = statSync(parent); // a link to a folder is fine here
  } catch {
    return; // missing (it is created) or unreadable (mkdir reports it)
  }
  if (!st.isDirectory()) {
    throw new PmError('PARENT_NOT_FOLDER', `${parent} is not a folder`, {
      hint: 'give --dir a folder (it is created when missing)', data: { dir: parent },
    });
  }
}

/** Renames the finished folder into place, or (under --force) moves its files into the existing one. */
async function moveIntoPlace(temp: string, dir: string, files: string[]): Promise<void> {
  const problem = targetProblem(dir);
  if (problem === undefined) {
    // An empty folder the user made for it: replace it (rename cannot portably replace a folder).
    await rmdir(dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
    await rename(temp, dir);
    return;
  }
  checkTarget(dir, true); // it may have become a file meanwhile
  for (const file of files) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await rename(join(temp, file), join(dir, file));
  }
  await rm(temp, { recursive: true, force: true });
}
