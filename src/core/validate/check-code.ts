import { readFile } from 'node:fs/promises';
import { MAX_FILE_BYTES } from './check-folder.js';
import { scanSource } from './scan/static-scan.js';
import type { PluginCheckContext, PluginFile } from './types.js';

const SOURCE = /\.(?:[cm]?js|[cm]?ts)$/;

/** Which files the static scan reads: the plugin's own JavaScript/TypeScript, not node_modules and not test/. */
export function isScanned(f: PluginFile): boolean {
  if (f.kind !== 'file' || f.size > MAX_FILE_BYTES || !SOURCE.test(f.path) || f.path.endsWith('.d.ts')) return false;
  const parts = f.path.split('/');
  return !parts.includes('node_modules') && parts[0] !== 'test' && parts[0] !== 'tests';
}

/** Static scan of the plugin's code; every hit is reported at file:line. */
export async function checkCode(ctx: PluginCheckContext): Promise<void> {
  const perms = ctx.manifest?.permissions ?? {};
  for (const f of (await ctx.files()).filter(isScanned)) {
    const hits = scanSource(await readFile(f.abs, 'utf8'), typeof perms === 'object' && perms ? perms : {});
    for (const h of hits) {
      const extra = { where: `${f.path}:${h.line}`, hint: h.hint };
      if (h.severity === 'error') ctx.findings.error(h.code, h.message, extra);
      else ctx.findings.warn(h.code, h.message, extra);
    }
  }
}
