/**
 * `pm -V` / `pm -v` / `pm --version` with no command before it (global flags may stand around it).
 * A command that owns a `--version <v>` option (marketplace-install) comes first on the line,
 * so its flag is never read as pm's.
 */
export function asksForVersion(args: string[]): boolean {
  const i = args.findIndex((a) => a === '-V' || a === '-v' || a === '--version');
  if (i < 0) return false;
  const before = args.slice(0, i).filter((a, k, all) => !a.startsWith('-') && all[k - 1] !== '--home');
  return before.length === 0;
}
