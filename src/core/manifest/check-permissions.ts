import type { ManifestCheckContext } from './check-context.js';
import { childPath } from './json-path.js';
import { arrayOf, field } from './shape.js';

/** Why a permission path is malformed, or undefined when it is well formed. */
export function permissionPathProblem(p: string): string | undefined {
  if (p.trim() === '') return 'is empty';
  if (p.includes('\0')) return 'contains a NUL character';
  if (p.split(/[\\/]/).includes('..')) return 'contains ..';
  if (p === '$DATA' || p.startsWith('$DATA/')) return undefined;
  if (p.startsWith('$')) return `uses an unknown variable (only $DATA is defined)`;
  if (p === '~' || p.startsWith('~/')) return undefined;
  if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)) return undefined;
  return 'is relative';
}

const BROAD = new Set(['/', '~', '~/', 'C:\\', 'C:/']);

/** fs permission paths are $DATA[/…], absolute or ~/… without `..`; writing to / or ~ is flagged. */
export function checkPermissions(ctx: ManifestCheckContext): void {
  const fs = field(field(ctx.manifest, 'permissions'), 'fs');
  for (const mode of ['read', 'write'] as const) {
    arrayOf(field(fs, mode)).forEach((p, i) => {
      if (typeof p !== 'string') return; // the schema reports the type
      const where = childPath(`permissions.fs.${mode}`, i);
      const problem = permissionPathProblem(p);
      if (problem) {
        ctx.findings.error('MANIFEST_PERMISSION_PATH', `${JSON.stringify(p)} ${problem}`, {
          where,
          hint: 'use $DATA (the plugin\'s data folder), $DATA/<sub>, an absolute path or ~/<path>, without ..',
        });
      } else if (BROAD.has(p)) {
        ctx.findings.warn('MANIFEST_PERMISSION_BROAD', `${JSON.stringify(p)} grants ${mode} access to ${p.startsWith('~') ? 'the whole home folder' : 'the whole file system'}`, {
          where,
          hint: 'ask for the narrowest folder the plugin needs, e.g. $DATA',
        });
      }
    });
  }
}
