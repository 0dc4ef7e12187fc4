import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PmError } from '../errors.js';
import { readPluginManifestJson } from '../manifest/read.js';

/** Whether the plugin is built from TypeScript: a tsconfig.json, or `main` under dist/ with a src/ folder. */
export async function isTypeScriptPlugin(pluginDir: string): Promise<boolean> {
  const dir = resolve(pluginDir);
  if (existsSync(join(dir, 'tsconfig.json'))) return true;
  let main: unknown;
  try {
    main = (await readPluginManifestJson(dir) as { main?: unknown } | null)?.main;
  } catch {
    return false; // validation reports a missing or broken plugin.json properly
  }
  return typeof main === 'string' && /^(\.\/)?dist\//.test(main) && existsSync(join(dir, 'src'));
}

/**
 * Rebuilds a TypeScript plugin's output from its sources, so what is validated, tested or
 * packed is the code as it is now, not the last build. Returns the written files, or
 * undefined for a JavaScript plugin (nothing to do).
 */
export async function buildIfTypeScript(pluginDir: string, opts: { ifStale?: boolean } = {}): Promise<string[] | undefined> {
  if (!(await isTypeScriptPlugin(pluginDir))) return undefined;
  const { transpilePlugin } = await import('./transpile-ts.js');
  return transpilePlugin(pluginDir, opts);
}

/** What `pm plugin-build` did. */
export interface BuildResult {
  /** The plugin folder, absolute. */
  dir: string;
  /** False for a JavaScript plugin: there is nothing to build. */
  typescript: boolean;
  /** Files written, relative to dir. */
  written: string[];
}

/** Builds a plugin folder's TypeScript sources into its output (pm plugin-build); throws TS_SYNTAX with file:line:column. */
export async function buildPlugin(pluginDir: string): Promise<BuildResult> {
  const dir = resolve(pluginDir);
  if (!existsSync(dir)) {
    throw new PmError('PLUGIN_DIR_MISSING', `${dir} does not exist`, { hint: 'give the plugin folder (the one holding plugin.json), or run pm plugin-build inside it', data: { dir } });
  }
  const written = await buildIfTypeScript(dir);
  return { dir, typescript: written !== undefined, written: written ?? [] };
}
