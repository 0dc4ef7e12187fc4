import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
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
export async function buildIfTypeScript(pluginDir: string): Promise<string[] | undefined> {
  if (!(await isTypeScriptPlugin(pluginDir))) return undefined;
  const { transpilePlugin } = await import('./transpile-ts.js');
  return transpilePlugin(pluginDir);
}
