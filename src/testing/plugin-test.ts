/**
 * `pm plugin-test`: validate the plugin, transpile it when it is TypeScript, then run its
 * tests with Node's test runner in a temporary PM_HOME, with `pmkit` and `pmkit/testing`
 * resolvable and TypeScript tests transpiled in memory (register.ts / loader-hooks.ts).
 */
import { buildIfTypeScript } from '../core/build/build-plugin.js';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PmError } from '../core/errors.js';
import type { InspectEntry, ValidationReport } from '../core/validate/types.js';
import { findTestFiles } from './find-test-files.js';
import { parseTapSummary, type TestCounts } from './parse-tap-summary.js';

export type Reporter = 'spec' | 'tap' | 'junit';

export interface PluginTestOptions {
  reporter?: Reporter;
  /** Write the reporter's output to this file instead of stdout (JUnit for CI). */
  output?: string;
  coverage?: boolean;
  testNamePattern?: string;
  watch?: boolean;
  /** Where the runner's output goes: inherited (default) or collected into the result. */
  stdio?: 'inherit' | 'pipe';
  /** Called with the validation report before tests run (the CLI prints its warnings). */
  onValidated?: (report: ValidationReport) => void;
  /** Called once the TypeScript sources are transpiled, with the files written. */
  onTranspiled?: (files: string[]) => void;
}

export interface PluginTestResult {
  ok: boolean;
  dir: string;
  name: string;
  files: string[];
  counts: TestCounts;
  exitCode: number;
  /** The runner's output, with stdio 'pipe'. */
  stdout?: string;
  stderr?: string;
  output?: string;
  /** A server plugin: the tools the started server listed (its smoke test). */
  server?: { tools: string[] };
}

/**
 * A server plugin's smoke test: start it as the host does, initialize, list its tools (which
 * validation already compared with a declared pin). A server that does not start makes the
 * report invalid (SERVER_START_FAILED), as a module whose entry does not load would.
 */
async function smokeServer(dir: string, report: ValidationReport, inspect: InspectEntry): Promise<{ tools: string[] } | undefined> {
  const r = await inspect(dir, report.manifest!);
  if (r.loaded) return { tools: (r.tools ?? []).map((t) => t.name) };
  report.errors.push({ code: 'SERVER_START_FAILED', severity: 'error', where: 'server', message: `the server did not start and list its tools: ${r.error ?? 'no reason given'}`, hint: 'run the command of "server" by hand: it must speak MCP (newline-delimited JSON-RPC) on stdin/stdout and log only to stderr' });
  report.ok = false;
  return undefined;
}

/** Builds (TypeScript), validates and tests a plugin folder; throws PmError (validation) when it is invalid. Never prints. */
export async function runPluginTests(pluginDir: string, opts: PluginTestOptions = {}): Promise<PluginTestResult> {
  const dir = resolve(pluginDir);
  // A TypeScript plugin is built first: validation loads the entry (dist/) in the sandbox
  // and must see the sources as they are now, not the last build.
  const built = await buildIfTypeScript(dir);
  if (built) opts.onTranspiled?.(built);
  const { validatePlugin } = await import('../core/validate/validate-plugin.js');
  const { inspectEntry } = await import('../host/inspect-entry.js');
  const report = await validatePlugin(dir, { inspectEntry });
  const server = report.ok && report.manifest?.server !== undefined ? await smokeServer(dir, report, inspectEntry) : undefined;
  opts.onValidated?.(report);
  if (!report.ok) {
    throw new PmError('PLUGIN_INVALID', `${dir} is not a valid plugin (${report.errors.length} error${report.errors.length === 1 ? '' : 's'}); no test was run`, {
      hint: 'fix the errors above (pm plugin-validate shows them), then run pm plugin-test again', data: { report },
    });
  }
  const name = String((report.manifest as { name?: unknown } | undefined)?.name ?? '');
  const files = await findTestFiles(dir);
  // A server plugin that started and listed its tools has passed its smoke test; its own tests are optional.
  if (files.length === 0 && server) {
    return { ok: true, dir, name, files: [], counts: { tests: 0, pass: 0, fail: 0, skipped: 0, todo: 0, cancelled: 0 }, exitCode: 0, server };
  }
  if (files.length === 0) {
    throw new PmError('NO_TESTS', `${dir} has no tests: nothing matches test/**/*.test.{js,mjs,ts}`, {
      hint: 'add a test file such as test/plugin.test.js (pm plugin-create writes one); a plugin without tests is not a passing plugin',
    });
  }

  const work = await mkdtemp(join(tmpdir(), 'pm-plugin-test-'));
  try {
    const home = join(work, 'home');
    await mkdir(home, { recursive: true });
    const summaryFile = join(work, 'summary.tap');
    const reporter = opts.reporter ?? 'spec';
    if (!['spec', 'tap', 'junit'].includes(reporter)) {
      throw new PmError('REPORTER_UNKNOWN', `unknown reporter ${reporter}`, { hint: 'use spec, tap or junit' });
    }
    const output = opts.output ? resolve(opts.output) : undefined;
    if (output) await mkdir(dirname(output), { recursive: true });
    const register = fileURLToPath(new URL('./register.js', import.meta.url));
    const args = [
      '--import', register,
      '--enable-source-maps',
      '--test',
      `--test-reporter=${reporter}`, `--test-reporter-destination=${output ?? 'stdout'}`,
      // A second reporter whose only reader is us: the summary counts.
      ...(opts.watch ? [] : ['--test-reporter=tap', `--test-reporter-destination=${summaryFile}`]),
      ...(opts.testNamePattern ? [`--test-name-pattern=${opts.testNamePattern}`] : []),
      ...(opts.coverage ? ['--experimental-test-coverage'] : []),
      ...(opts.watch ? ['--watch'] : []),
      ...files.map((f) => relative(dir, f)),
    ];
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PM_HOME: home,
      PM_TEST_TMPDIR: work,
      // Whatever the user's shell sets must not reach the runner: it would load code we do not expect.
      NODE_OPTIONS: '',
    };
    const pipe = opts.stdio === 'pipe';
    const child = spawn(process.execPath, args, { cwd: dir, env, stdio: ['ignore', pipe ? 'pipe' : 'inherit', pipe ? 'pipe' : 'inherit'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d));
    child.stderr?.on('data', (d: Buffer) => (stderr += d));
    // Ctrl-C reaches the runner too (same process group); waiting for it to finish lets
    // the temporary PM_HOME be removed instead of left behind.
    const forward = (sig: NodeJS.Signals) => child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    let exitCode: number;
    try {
      exitCode = await new Promise((res, rej) => {
        child.on('error', rej);
        child.on('close', (code, signal) => res(code ?? (signal ? 1 : 0)));
      });
    } finally {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
    }
    const tap = await readFile(summaryFile, 'utf8').catch(() => '');
    const counts = parseTapSummary(tap) ?? { tests: 0, pass: 0, fail: 0, skipped: 0, todo: 0, cancelled: 0 };
    const ok = exitCode === 0 && counts.fail === 0 && counts.cancelled === 0 && (opts.watch || counts.tests > 0);
    return {
      ok, dir, name, files: files.map((f) => relative(dir, f).split('\\').join('/')), counts, exitCode, ...(server ? { server } : {}),
      ...(pipe ? { stdout, stderr } : {}), ...(output ? { output } : {}),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
