import type { Finding } from '../warn.js';

/** One finding on one line: `where: message — hint`. */
export function formatFinding(f: Finding): string {
  return `${f.where ? `${f.where}: ` : ''}${f.message}${f.hint ? ` — ${f.hint}` : ''}`;
}
