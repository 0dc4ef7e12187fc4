import { describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { repoRoot } from '../../helpers/pm.js';

const src = join(repoRoot, 'src');

/** Every .ts file under `dir`. */
async function tsFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

/** The relative module specifiers a file imports: static, type-only, re-exports and dynamic import(). */
function specifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\1/g)) out.push(m[2]!);
  return out;
}

/** Files under src/<from> that import anything under src/<to>, as "file -> specifier". */
async function importsInto(from: string, to: string): Promise<string[]> {
  const target = join(src, to);
  const found: string[] = [];
  for (const file of await tsFiles(join(src, from))) {
    for (const spec of specifiers(await readFile(file, 'utf8'))) {
      const abs = resolve(dirname(file), spec);
      if (abs === target || abs.startsWith(target + '/')) found.push(`${relative(repoRoot, file)} -> ${spec}`);
    }
  }
  return found;
}

describe('dependencies point one way (DESIGN §1)', () => {
  it('core-never-imports-host: no file under src/core imports from src/host', async () => {
    expect(await importsInto('core', 'host')).toEqual([]);
  });

  it('core-never-imports-cli: no file under src/core imports from src/cli', async () => {
    expect(await importsInto('core', 'cli')).toEqual([]);
  });

  it('registry-and-marketplace-share-index-format: neither imports the other', async () => {
    expect(await importsInto('core/registry', 'core/marketplace')).toEqual([]);
    expect(await importsInto('core/marketplace', 'core/registry')).toEqual([]);
  });

  it('the scan sees every kind of import (so an empty result means something)', () => {
    expect(specifiers([
      "import { a } from '../../host/x.js';",
      "import type { B } from '../host/y.js';",
      "export { c } from './z.js';",
      "const d = await import('../host/w.js');",
      "import '../host/side-effect.js';",
    ].join('\n'))).toEqual(['../../host/x.js', '../host/y.js', './z.js', '../host/w.js', '../host/side-effect.js']);
  });
});
