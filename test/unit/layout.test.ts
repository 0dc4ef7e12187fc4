import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { repoRoot } from '../helpers/pm.js';

// Tests mirror the tree (project standard): test/unit/x/y.test.ts tests src/x/y.ts. A test that
// covers several modules, or a security regression named after what it stops, belongs in
// test/integration/ (security regressions in test/integration/security/) — or, rarely,
// here with a reason.
const ALLOWED: Record<string, string> = {
  'layout.test.ts': 'checks the layout of the test tree itself; there is no src/layout.ts',
  'core/dependency-direction.test.ts': 'scans every file under src/core for imports of src/host and src/cli (DESIGN §1); it tests the tree, not one module',
};

const unit = join(repoRoot, 'test', 'unit');

/** Unit test files relative to test/unit, '/' separators, sorted. */
function unitTests(): string[] {
  return readdirSync(unit, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.test.ts'))
    .map((e) => relative(unit, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

const mirrored = (test: string) => existsSync(join(repoRoot, 'src', test.replace(/\.test\.ts$/, '.ts')));

describe('test/unit mirrors src', () => {
  it('has a src/x/y.ts for every test/unit/x/y.test.ts outside the allowlist', () => {
    const orphans = unitTests().filter((t) => !(t in ALLOWED) && !mirrored(t));
    expect(orphans.map((t) => `test/unit/${t} has no src/${t.replace(/\.test\.ts$/, '.ts')}: move it beside its module's mirror, to test/integration/, or allow it with a reason in test/unit/layout.test.ts`)).toEqual([]);
  });

  it('keeps the allowlist short and true: every entry exists, does not mirror a src file, and says why', () => {
    const tests = new Set(unitTests());
    const stale = Object.entries(ALLOWED).filter(([t, why]) => !tests.has(t) || mirrored(t) || why.trim().length < 20).map(([t]) => t);
    expect(stale).toEqual([]);
    expect(Object.keys(ALLOWED).length).toBeLessThanOrEqual(5);
  });
});
