import { PmError } from '../errors.js';

/** A package's `bin` field as npm normalizes it: bin name → path inside the package. */
export function normalizeBins(packageName: string, bin: unknown): Record<string, string> {
  if (typeof bin === 'string') return { [packageName.replace(/^@[^/]*\//, '')]: bin };
  if (typeof bin !== 'object' || bin === null) return {};
  return Object.fromEntries(Object.entries(bin as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * The bin the server runs: `--bin NAME` when given, else the only one, else the one named
 * like the package (scope stripped). Throws NPM_NO_BIN listing the bins otherwise.
 */
export function pickBin(packageName: string, bins: Record<string, string>, wanted?: string): { name: string; path: string } {
  const names = Object.keys(bins).sort();
  const list = names.length ? `its bins: ${names.join(', ')}` : 'it declares no bin';
  if (wanted !== undefined) {
    if (Object.hasOwn(bins, wanted)) return { name: wanted, path: bins[wanted]! };
    throw new PmError('NPM_NO_BIN', `${packageName} has no bin named "${wanted}" (${list})`, {
      hint: names.length ? `pick one with --bin, e.g. --bin ${names[0]}` : 'this package ships no program to run; pick the package that ships the server', data: { package: packageName, bins: names },
    });
  }
  if (names.length === 1) return { name: names[0]!, path: bins[names[0]!]! };
  const own = packageName.replace(/^@[^/]*\//, '');
  if (Object.hasOwn(bins, own)) return { name: own, path: bins[own]! };
  if (!names.length) {
    throw new PmError('NPM_NO_BIN', `${packageName} declares no bin, so pm has no program to run as its server`, {
      hint: 'an MCP server package names its program in package.json "bin"; check that this is the server package (not a library)', data: { package: packageName, bins: names },
    });
  }
  throw new PmError('NPM_NO_BIN', `${packageName} has several bins and none is named like the package (${list})`, {
    hint: `say which one runs the server with --bin, e.g. --bin ${names[0]}`, data: { package: packageName, bins: names },
  });
}
