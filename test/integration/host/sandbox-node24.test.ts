import { beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, tempDir } from '../../helpers/pm.js';
import { hostileChecks, pluginProcess, type ScenarioReport } from '../../helpers/hostile-expectations.js';

// Node 24 (the --permission model) is installed by .ci/run from the npm registry into
// .ci/nodes/24; the test itself never touches the network. When it is absent the suite is
// skipped, and its title and stderr say so. .ci/run names it in PM_TEST_NODE24: a binary
// named there that is not Node 24 FAILS the test, so CI cannot skip it by accident.
const required = process.env.PM_TEST_NODE24;
const nodeBin = required || join(repoRoot, '.ci', 'nodes', '24', 'node_modules', '.bin', 'node');

function versionOf(bin: string): string | undefined {
  try {
    return execFileSync(bin, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

const version = versionOf(nodeBin);
const absent = !required && !version?.startsWith('v24.');
const reason = `Node 24 not installed at ${nodeBin} (found ${version ?? 'nothing'}): run .ci/run, or set PM_TEST_NODE24 to a Node 24 binary`;
if (absent) console.error(`\n*** SKIPPED: the Node 24 sandbox test. ${reason}. The sandbox is NOT proven on Node 24 in this run. ***\n`);

describe.skipIf(absent)(absent ? `hostile plugins on Node 24 — SKIPPED: ${reason}` : `hostile plugins on Node 24 (${version})`, () => {
  let report: ScenarioReport;
  beforeAll(async () => {
    if (!version?.startsWith('v24.')) throw new Error(`PM_TEST_NODE24=${nodeBin} is not a Node 24 binary (it answered ${version ?? 'nothing'})`);
    const tmp = await tempDir('pm-hostile24-');
    try {
      const hostUrl = pathToFileURL(join(repoRoot, 'dist', 'host', 'host.js')).href;
      const r = await execa(nodeBin, [join(repoRoot, 'test', 'helpers', 'hostile-scenarios.mjs'), hostUrl, tmp.dir], { reject: false, timeout: 120_000 });
      if (r.exitCode !== 0) throw new Error(`the scenarios failed on Node 24 (exit ${r.exitCode}):\n${r.stderr.slice(-2000)}`);
      report = JSON.parse(r.stdout) as ScenarioReport;
    } finally {
      await tmp.cleanup();
    }
  }, 180_000);

  it('ran the host and its plugins on Node 24 (--permission)', () => {
    expect(report.node).toMatch(/^24\./);
    expect(pluginProcess(report).node).toBe(report.node);
  });
  it.each(Object.keys(hostileChecks))('%s', (name) => hostileChecks[name]!(report));
});
