import type { CostedTool } from '../context-cost.js';
import type { Manifest } from '../manifest/types.js';
import { readPin } from './pins.js';

/**
 * The tools a plugin lists in tools/list, without starting it: the manifest's `contributes.tools`,
 * else, for a server plugin, its pinned list (pins/<name>.json; none before its first start).
 */
export async function listedTools(home: string, name: string, manifest: Manifest): Promise<CostedTool[]> {
  const declared = manifest.contributes?.tools;
  if (declared?.length || !manifest.server) return (declared ?? []) as CostedTool[];
  // A corrupt pin serves nothing (the host refuses it too), so it costs nothing.
  return ((await readPin(home, name).catch(() => undefined))?.tools ?? []) as CostedTool[];
}
