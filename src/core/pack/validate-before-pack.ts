import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { PmError } from '../errors.js';
import { pluginDirPaths } from '../manifest/server-paths.js';
import type { Manifest } from '../manifest/types.js';
import type { ValidationReport } from '../validate/types.js';
import type { Finding } from '../warn.js';

/** The file a finding points at (`where` is a path, `path:line`, or a manifest JSON path). */
function findingPath(f: Finding): string | undefined {
  return f.where?.replace(/:\d+(?::\d+)?$/, '');
}

/** The files plugin.json points at (entry, a server's `${pluginDir}/…` paths, prompt templates) that .pmignore left out of the package. */
function excludedButNeeded(manifest: Manifest | undefined, packed: Set<string>): Finding[] {
  if (!manifest) return [];
  const needed: { path: unknown; where: string }[] = [{ path: manifest.main, where: 'main' }, ...pluginDirPaths(manifest.server)];
  const prompts = (manifest.contributes as { prompts?: { messages?: { template?: unknown }[] }[] } | undefined)?.prompts;
  (Array.isArray(prompts) ? prompts : []).forEach((p, i) =>
    (Array.isArray(p?.messages) ? p.messages : []).forEach((m, j) => needed.push({ path: m?.template, where: `contributes.prompts[${i}].messages[${j}].template` })));
  const out: Finding[] = [];
  for (const n of needed) {
    if (typeof n.path !== 'string' || n.path === '') continue;
    const rel = n.path.replace(/^\.\//, '');
    // A server may name a folder (${pluginDir}/lib): it ships when anything under it does.
    if (!packed.has(rel) && ![...packed].some((p) => p.startsWith(`${rel}/`))) {
      out.push({ code: 'PACK_FILE_EXCLUDED', severity: 'error', where: n.where, message: `${rel} is needed by plugin.json but is not packed`, hint: 'remove the rule that excludes it from .pmignore (or create the file)' });
    }
  }
  return out;
}

/**
 * Judges a validation report by what ships: findings about files that exist in the folder but
 * are never packed (a local .env, tests, an ignored link) are dropped, since they cannot reach
 * users. An invalid plugin throws PmError kind 'validation' (exit 3) whose data carries the report.
 */
export async function judgeShipping(full: ValidationReport, dir: string, packed: Set<string>): Promise<{ manifest: Manifest & { name: string; version: string }; report: ValidationReport }> {
  const ships = async (f: Finding): Promise<boolean> => {
    // Only findings about a file's own content or kind may be dropped, never manifest findings
    // (whose `where` is a JSON path such as "main", which could collide with a file name).
    const aboutFile = /:\d+$/.test(f.where ?? '') || /^(FOLDER|SECRET)_/.test(f.code);
    const p = findingPath(f);
    if (!aboutFile || !p || packed.has(p)) return true;
    return !(await lstat(join(dir, p)).then(() => true, () => false));
  };
  const keep = async (fs: Finding[]) => (await Promise.all(fs.map(async (f) => ((await ships(f)) ? f : undefined)))).filter((f): f is Finding => f !== undefined);
  const errors = [...(await keep(full.errors)), ...excludedButNeeded(full.manifest, packed)];
  const report: ValidationReport = { ...full, ok: errors.length === 0, errors, warnings: await keep(full.warnings) };
  if (!report.ok || !report.manifest) {
    const first = report.errors[0];
    throw new PmError('PLUGIN_INVALID', `${dir} is not a valid plugin (${report.errors.length} error${report.errors.length === 1 ? '' : 's'}${first ? `; first: ${first.where ? `${first.where}: ` : ''}${first.message}` : ''})`, {
      hint: "fix the errors listed above ('pm plugin-validate' shows them too), then package again",
      data: { report },
    });
  }
  return { manifest: report.manifest as Manifest & { name: string; version: string }, report };
}
