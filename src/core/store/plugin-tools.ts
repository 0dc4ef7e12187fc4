import type { CostedTool } from '../context-cost.js';
import type { Manifest } from '../manifest/types.js';

/**
 * The tools a plugin lists in tools/list, without starting it: the manifest's `contributes.tools`
 * (for a server plugin that declares none, its pinned list once pins exist).
 */
export function listedTools(manifest: Manifest): CostedTool[] {
  return (manifest.contributes?.tools ?? []) as CostedTool[];
}
