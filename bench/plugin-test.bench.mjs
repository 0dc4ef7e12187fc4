// pm plugin-test: the whole command on a freshly created tool plugin (validation, a
// temporary PM_HOME, the module hook, the real host and its sandboxed plugin process)
// against `node --test` of a test file that does the same calls with no pm at all.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { compare, pmBin, report, timeCommand } from './lib.mjs';

export default async function pluginTest() {
  const work = mkdtempSync(join(tmpdir(), 'pm-bench-plugin-test-'));
  try {
    const made = spawnSync(process.execPath, [pmBin, 'plugin-create', 'bench-tool', '--type', 'tool', '--yes'], { cwd: work });
    if (made.status !== 0) throw new Error('plugin-create failed');
    const plugin = join(work, 'bench-tool');
    // The same two tests, calling the entry module in-process: the floor of running tests at all.
    const bare = join(work, 'bare.test.mjs');
    writeFileSync(bare, `import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport p from ${JSON.stringify(join(plugin, 'index.js'))};\n` +
      `test('greet', async () => assert.equal((await p.tools.greet({ name: 'Ada' }, { config: {} })).content[0].text, 'Hello, Ada!'));\n` +
      `test('config', async () => assert.equal((await p.tools.greet({ name: 'Ada' }, { config: { greeting: 'Welcome' } })).content[0].text, 'Welcome, Ada!'));\n`);
    const { a, b } = compare(
      () => timeCommand(process.execPath, [pmBin, 'plugin-test', plugin]),
      () => timeCommand(process.execPath, ['--test', bare]),
      5,
    );
    report('pm plugin-test on a new tool plugin, 2 tests (median of 5)', { value: a, baseline: b, baselineName: 'node --test, same calls in-process' });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
