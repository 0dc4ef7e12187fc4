// pm plugin-validate: whole-command cost against pm --version, and the static scan's
// tokenizer against a bare regex pass over the same source (issue: foundation).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compare, median, pmBin, repoRoot, report, timeCommand } from './lib.mjs';

export default async function pluginValidate() {
  const fixture = join(repoRoot, 'test/fixtures/valid-full');
  const { a, b } = compare(
    () => timeCommand(process.execPath, [pmBin, 'plugin-validate', fixture]),
    () => timeCommand(process.execPath, [pmBin, '--version']),
    10,
  );
  report('pm plugin-validate valid-full (median of 10)', { value: a, baseline: b, baselineName: 'pm --version' });

  const { scanSource } = await import(pathToFileURL(join(repoRoot, 'dist/core/validate/scan/static-scan.js')).href);
  // ~1 MiB of ordinary code with comments, strings, templates and regexes.
  const chunk = [
    "import { readFile } from 'node:fs/promises';",
    '// a comment mentioning eval( and child_process',
    "const s = 'a string with \"quotes\" and eval(';",
    'const t = `template ${s.length} text`;',
    'const r = /[a-z]+\\/eval\\(/g;',
    'export async function f(x) { return x / 2 + (await readFile(x, "utf8")).length; }',
    '',
  ].join('\n');
  const src = chunk.repeat(Math.ceil((1024 * 1024) / chunk.length));
  const time = (fn) => {
    const t0 = process.hrtime.bigint();
    fn();
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  const scan = [], bare = [];
  for (let i = 0; i < 10; i++) {
    scan.push(time(() => scanSource(src, {})));
    bare.push(time(() => [...src.matchAll(/eval\s*\(|child_process|process\s*\.\s*env/g)].length));
  }
  report(`static scan of ${(src.length / 1024 / 1024).toFixed(1)} MiB of JS (median of 10)`, { value: median(scan), baseline: median(bare), baselineName: 'one bare regex pass' });
}
