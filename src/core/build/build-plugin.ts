import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** Whether the plugin is built from TypeScript: a tsconfig.json, or `main` under dist/ with a src/ folder. */
export async function isTypeScriptPlugin(pluginDir: string): Promise<boolean> {
  const dir = resolve(pluginDir);
  if (existsSync(join(dir, 'tsconfig.json'))) return true;
  let main: unknown;
  try {
    main = (JSON.parse(await readFile(join(dir, 'plugin.json'), 'utf8')) as { main?: unknown }).main;
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
