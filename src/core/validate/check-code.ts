import { readFile } from 'node:fs/promises';
import { MAX_FILE_BYTES } from './check-folder.js';
import { mapInOrder } from './map-in-order.js';
import { scanSource } from './scan/static-scan.js';
import type { PluginCheckContext, PluginFile } from './types.js';

/** Source files read at once: up to 10 MiB each, so a few, not all. */
const SCAN_READS_IN_FLIGHT = 8;

const SOURCE = /\.(?:[cm]?js|[cm]?ts)$/;

/** Which files the static scan reads: the plugin's own JavaScript/TypeScript, not node_modules, a Python environment's site-packages or test/. */
export function isScanned(f: PluginFile): boolean {
  if (f.kind !== 'file' || f.size > MAX_FILE_BYTES || !SOURCE.test(f.path) || f.path.endsWith('.d.ts')) return false;
  const parts = f.path.split('/');
  return !parts.includes('node_modules') && !parts.includes('site-packages') && parts[0] !== 'test' && parts[0] !== 'tests';
}

/** Static scan of the plugin's code; every hit is reported at file:line. */
export async function checkCode(ctx: PluginCheckContext): Promise<void> {
  const perms = ctx.manifest?.permissions ?? {};
  const allowed = typeof perms === 'object' && perms ? perms : {};
  const files = (await ctx.files()).filter(isScanned);
  // Reads overlap (8 at a time, so memory stays bounded); each file is scanned as it arrives and only its hits are kept.
  const results = await mapInOrder(files, SCAN_READS_IN_FLIGHT, async (f) => scanSource(await readFile(f.abs, 'utf8'), allowed));
  for (const [i, f] of files.entries()) {
    for (const h of results[i]) {
      const extra = { where: `${f.path}:${h.line}`, hint: h.hint };
      if (h.severity === 'error') ctx.findings.error(h.code, h.message, extra);
      else ctx.findings.warn(h.code, h.message, extra);
    }
  }
}
