// The SPDX ids plugin authors use, not the whole list (~600): a rarer license is written
// as LicenseRef-<name>, which SPDX provides for exactly that.
const KNOWN_IDS = [
  '0BSD', 'AFL-3.0', 'AGPL-3.0-only', 'AGPL-3.0-or-later', 'Apache-1.1', 'Apache-2.0', 'APSL-2.0', 'Artistic-2.0',
  'BlueOak-1.0.0', 'BSD-1-Clause', 'BSD-2-Clause', 'BSD-2-Clause-Patent', 'BSD-3-Clause', 'BSD-3-Clause-Clear', 'BSD-4-Clause',
  'BSL-1.0', 'BUSL-1.1', 'CAL-1.0', 'CC-BY-3.0', 'CC-BY-4.0', 'CC-BY-NC-4.0', 'CC-BY-NC-SA-4.0', 'CC-BY-ND-4.0', 'CC-BY-SA-3.0',
  'CC-BY-SA-4.0', 'CC0-1.0', 'CDDL-1.0', 'CDDL-1.1', 'CECILL-2.1', 'ECL-2.0', 'EFL-2.0', 'Elastic-2.0', 'EPL-1.0', 'EPL-2.0',
  'EUPL-1.1', 'EUPL-1.2', 'GPL-2.0-only', 'GPL-2.0-or-later', 'GPL-3.0-only', 'GPL-3.0-or-later', 'Hippocratic-2.1', 'ISC',
  'LGPL-2.0-only', 'LGPL-2.0-or-later', 'LGPL-2.1-only', 'LGPL-2.1-or-later', 'LGPL-3.0-only', 'LGPL-3.0-or-later', 'LPPL-1.3c',
  'MIT', 'MIT-0', 'MPL-1.1', 'MPL-2.0', 'MPL-2.0-no-copyleft-exception', 'MS-PL', 'MS-RL', 'MulanPSL-2.0', 'NCSA', 'ODbL-1.0',
  'OFL-1.1', 'OSL-3.0', 'PostgreSQL', 'Python-2.0', 'SSPL-1.0', 'Unicode-3.0', 'Unlicense', 'UPL-1.0', 'W3C', 'WTFPL', 'X11',
  'Zlib', 'ZPL-2.1',
  // Deprecated forms still common in package.json files.
  'GPL-2.0', 'GPL-2.0+', 'GPL-3.0', 'GPL-3.0+', 'LGPL-2.1', 'LGPL-2.1+', 'LGPL-3.0', 'LGPL-3.0+', 'AGPL-3.0',
];
const EXCEPTIONS = ['Classpath-exception-2.0', 'GCC-exception-3.1', 'LLVM-exception', 'Autoconf-exception-3.0', 'Bison-exception-2.2', 'OpenJDK-assembly-exception-1.0'];

const byLower = new Map([...KNOWN_IDS, ...EXCEPTIONS].map((id) => [id.toLowerCase(), id]));

/** What is wrong with one id (or exception after WITH), or undefined. */
function idProblem(word: string, exception: boolean): string | undefined {
  const list = exception ? EXCEPTIONS : KNOWN_IDS;
  if (list.includes(word) || (!exception && /^(LicenseRef|DocumentRef)-[A-Za-z0-9.-]+(:LicenseRef-[A-Za-z0-9.-]+)?$/.test(word))) return undefined;
  const cased = byLower.get(word.toLowerCase()) ?? byLower.get(word.toLowerCase().replace(/\+$/, '-or-later'));
  if (cased && list.includes(cased)) return `"${word}" is written ${cased} in SPDX`;
  const near = list.filter((id) => id.toLowerCase().startsWith(word.toLowerCase().slice(0, 3))).slice(0, 4);
  return `"${word}" is not an SPDX ${exception ? 'exception' : 'license id'}${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; for another license write LicenseRef-<name>`;
}

/**
 * Says what is wrong with an SPDX license expression ("MIT", "MIT OR Apache-2.0",
 * "GPL-2.0-only WITH Classpath-exception-2.0", "LicenseRef-acme"), or undefined when it is fine.
 * UNLICENSED (npm's "not licensed for use by others") is accepted too.
 */
export function spdxProblem(expression: string): string | undefined {
  const text = expression.trim();
  if (text === '') return 'a license is required (e.g. MIT)';
  if (text === 'UNLICENSED') return undefined;
  const tokens = text.match(/\(|\)|[^\s()]+/g) ?? [];
  let depth = 0;
  let expectId = true;
  let afterWith = false;
  for (const t of tokens) {
    if (t === '(') { if (!expectId) return `"(" cannot follow a license id in "${text}"`; depth++; continue; }
    if (t === ')') { if (expectId || --depth < 0) return `unbalanced ")" in "${text}"`; continue; }
    if (/^(AND|OR|WITH)$/.test(t)) {
      if (expectId) return `"${t}" needs a license id before it`;
      expectId = true;
      afterWith = t === 'WITH';
      continue;
    }
    if (/^(and|or|with)$/i.test(t)) return `write "${t.toUpperCase()}" in capitals in an SPDX expression`;
    if (!expectId) return `"${t}" follows a license id; join licenses with OR or AND`;
    const problem = idProblem(t, afterWith);
    if (problem) return problem;
    expectId = false;
    afterWith = false;
  }
  if (expectId) return `"${text}" ends with an operator`;
  if (depth !== 0) return `unbalanced "(" in "${text}"`;
  return undefined;
}
