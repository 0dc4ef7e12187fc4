import { describe, expect, it } from 'vitest';
import { spdxProblem } from '../../../../src/core/scaffold/spdx-license.js';

describe('spdxProblem', () => {
  it.each(['MIT', 'Apache-2.0', 'GPL-3.0-or-later', 'MIT OR Apache-2.0', '(MIT AND BSD-3-Clause) OR ISC', 'GPL-2.0-only WITH Classpath-exception-2.0', 'LicenseRef-acme-internal', 'UNLICENSED', 'GPL-3.0+'])('accepts %s', (expr) => {
    expect(spdxProblem(expr)).toBeUndefined();
  });

  it.each([
    ['', 'a license is required (e.g. MIT)'],
    ['mit', '"mit" is written MIT in SPDX'],
    ['gpl-3.0+', '"gpl-3.0+" is written GPL-3.0+ in SPDX'],
    ['Apachee', '"Apachee" is not an SPDX license id (did you mean Apache-1.1, Apache-2.0?); for another license write LicenseRef-<name>'],
    ['Proprietary', '"Proprietary" is not an SPDX license id; for another license write LicenseRef-<name>'],
    ['MIT Apache-2.0', '"Apache-2.0" follows a license id; join licenses with OR or AND'],
    ['MIT or ISC', 'write "OR" in capitals in an SPDX expression'],
    ['MIT OR', '"MIT OR" ends with an operator'],
    ['(MIT OR ISC', 'unbalanced "(" in "(MIT OR ISC"'],
    ['MIT WITH MIT', '"MIT" is not an SPDX exception; for another license write LicenseRef-<name>'],
  ])('refuses %j: %s', (expr, problem) => {
    expect(spdxProblem(expr)).toBe(problem);
  });
});
