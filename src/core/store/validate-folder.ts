import { PmError } from '../errors.js';
import { readPluginManifestJson } from '../manifest/read.js';
import type { Manifest } from '../manifest/types.js';
import type { InspectEntry } from '../validate/types.js';
import { validatePlugin } from '../validate/validate-plugin.js';

/**
 * Runs plugin-validate's checks on a folder about to be installed and returns its manifest;
 * throws PLUGIN_INVALID (with the report in data) when plugin-validate would say ✖, so a
 * folder validate rejects is never installed to fail on every call.
 */
export async function validateFolderForInstall(dir: string, inspectEntry?: InspectEntry): Promise<Manifest> {
  // An unreadable plugin.json (too large, too deep, not UTF-8) keeps its own error code, as for a package.
  await readPluginManifestJson(dir);
  const report = await validatePlugin(dir, { build: true, ...(inspectEntry ? { inspectEntry } : {}) });
  if (!report.ok || !report.manifest) {
    const first = report.errors[0];
    const n = report.errors.length;
    throw new PmError('PLUGIN_INVALID', `refused ${dir}: it is not a valid plugin (${n} error${n === 1 ? '' : 's'}${first ? `; first: ${first.where ? `${first.where}: ` : ''}${first.message}` : ''})`, {
      hint: `fix the errors listed above (pm plugin-validate ${dir} shows them too), then install again`,
      data: { report },
    });
  }
  return report.manifest;
}
