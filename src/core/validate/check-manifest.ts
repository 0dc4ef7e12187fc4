import { isPmError } from '../errors.js';
import { readPluginManifestJson } from '../manifest/read.js';
import { MANIFEST_FILE } from '../manifest/schema-url.js';
import type { Manifest } from '../manifest/types.js';
import { validateManifest } from '../manifest/validate.js';
import type { PluginCheckContext } from './types.js';

/** Reads plugin.json and reports every manifest finding; sets ctx.manifest when it parsed as an object. */
export async function checkManifest(ctx: PluginCheckContext): Promise<void> {
  let value: unknown;
  try {
    value = await readPluginManifestJson(ctx.dir);
  } catch (err) {
    if (!isPmError(err)) throw err;
    const message = err.code === 'MANIFEST_MISSING' ? 'does not exist' : err.message.replace(/^.*?plugin\.json(:\d+:\d+)?: /, '');
    ctx.findings.error(err.code, message, {
      where: err.data && 'line' in err.data ? `${MANIFEST_FILE}:${String(err.data.line)}:${String(err.data.column)}` : MANIFEST_FILE,
      hint: err.hint,
    });
    // Without a plugin.json this is not a plugin folder: walking it would only add noise.
    if (err.code === 'MANIFEST_MISSING') ctx.stop = true;
    return;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) ctx.manifest = value as Manifest;
  ctx.findings.items.push(...(await validateManifest(value, { dir: ctx.dir, strict: ctx.strict })));
}
