import { buildIfTypeScript } from '../build/build-plugin.js';
import { isPmError } from '../errors.js';
import type { PluginCheckContext } from './types.js';

/**
 * Rebuilds a TypeScript plugin whose sources are newer than its output, so the checks after
 * it see the code as it is now, not the last build; a syntax error becomes a finding at
 * file:line:column (and, being an error, keeps the stale entry from being loaded).
 */
export async function checkBuild(ctx: PluginCheckContext): Promise<void> {
  try {
    await buildIfTypeScript(ctx.dir, { ifStale: true });
  } catch (err) {
    if (!isPmError(err) || !/^(TS_SYNTAX|TSCONFIG_)/.test(err.code)) throw err;
    const file = typeof err.data?.file === 'string' ? err.data.file : 'tsconfig.json';
    ctx.findings.error(err.code, err.message.startsWith(`${file}: `) ? err.message.slice(file.length + 2) : err.message, { where: file, hint: err.hint });
  }
}
