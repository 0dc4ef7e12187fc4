import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { PmError } from '../errors.js';
import type { Manifest } from '../manifest/types.js';
import { validatePlugin } from '../validate/validate-plugin.js';
import type { ValidationReport } from '../validate/types.js';
import type { Finding } from '../warn.js';

/** The file a finding points at (`where` is a path, `path:line`, or a manifest JSON path). */
function findingPath(f: Finding): string | undefined {
  return f.where?.replace(/:\d+(?::\d+)?$/, '');
}

/**
 * Validates the plugin as it will ship: findings about files that exist in the folder but are
 * never packed (a local .env, tests, an ignored link) are dropped, since they cannot reach users.
 * An invalid plugin throws PmError kind 'validation' (exit 3) whose data carries the report.
 */
export async function validateBeforePack(dir: string, packed: Set<string>, opts: { strict?: boolean } = {}): Promise<{ manifest: Manifest & { name: string; version: string }; report: ValidationReport }> {
  return judgeShipping(await validatePlugin(dir, { strict: opts.strict }), dir, packed);
}

/** Applies the "only what ships" rule to a finished validation report (see validateBeforePack). */
export async function judgeShipping(full: ValidationReport, dir: string, packed: Set<string>): Promise<{ manifest: Manifest & { name: string; version: string }; report: ValidationReport }> {
  const ships = async (f: Finding): Promise<boolean> => {
    const p = findingPath(f);
    if (!p || packed.has(p)) return true;
    // A manifest JSON path is not a file; a path that exists but is not packed does not ship.
    return !(await lstat(join(dir, p)).then(() => true, () => false));
  };
  const keep = async (fs: Finding[]) => (await Promise.all(fs.map(async (f) => ((await ships(f)) ? f : undefined)))).filter((f): f is Finding => f !== undefined);
  const errors = await keep(full.errors);
  const report: ValidationReport = { ...full, ok: errors.length === 0, errors, warnings: await keep(full.warnings) };
  if (!report.ok || !report.manifest) {
    const first = report.errors[0];
    throw new PmError('PLUGIN_INVALID', `${dir} is not a valid plugin (${report.errors.length} error${report.errors.length === 1 ? '' : 's'}${first ? `; first: ${first.where ? `${first.where}: ` : ''}${first.message}` : ''})`, {
      kind: 'validation',
      hint: "fix the errors listed above ('pm plugin-validate' shows them too), then package again",
      data: { report },
    });
  }
  return { manifest: report.manifest as Manifest & { name: string; version: string }, report };
}
