import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pm, pmBin, tempDir } from '../../helpers/pm.js';
import { notesPlugin, pack } from '../../helpers/store.js';
import { checkStore } from '../../../src/core/store/check.js';

// kill -9 at random points of installs and updates: the store must always come back consistent.
const SEED = 0x5eed_0004;
const TRIALS = 60;

/** mulberry32: a small seeded PRNG so every run kills at the same sequence of relative points. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const tmp = await tempDir('pm-crash-');
const home = join(tmp.dir, 'home');
const pkgs: Record<string, string> = {};
afterAll(() => tmp.cleanup());

beforeAll(async () => {
  for (const v of ['1.0.0', '2.0.0']) {
    const dir = await notesPlugin(join(tmp.dir, `src-${v}`), v);
    // Many files widen the window in which a kill lands mid-extraction or mid-swap.
    await mkdir(join(dir, 'lib'), { recursive: true });
    for (let i = 0; i < 300; i++) await writeFile(join(dir, 'lib', `m${i}.js`), `export const v = '${v}'; // ${'x'.repeat(i)}\n`);
    pkgs[v] = await pack(dir, join(tmp.dir, 'pkgs'));
  }
});

/** Runs the real bin and kills it with SIGKILL after `delayMs` (or lets it finish); resolves on exit. */
function runAndKill(args: string[], delayMs: number | undefined, env: Record<string, string> = {}): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [pmBin, ...args], { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1', ...env } });
    const timer = delayMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), delayMs);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, ms: Date.now() - t0 });
    });
  });
}

async function stateJson(): Promise<{ plugins: Record<string, { version: string }> }> {
  const text = await readFile(join(home, 'state.json'), 'utf8').catch(() => '{"plugins":{}}');
  return JSON.parse(text) as { plugins: Record<string, { version: string }> };
}

/** The invariants after any crash: state.json parses, and after recovery agrees with plugins/ and passes the check. */
async function expectConsistent(allowed: (string | undefined)[]): Promise<string | undefined> {
  const raw = await stateJson(); // parses even before recovery: it is only ever replaced atomically
  expect(allowed).toContain(raw.plugins.notes?.version);
  const list = await pm(['plugin-list', '--json', '--home', home]);
  expect(list.exitCode, list.stderr).toBe(0);
  const state = await stateJson();
  const version = state.plugins.notes?.version;
  expect(JSON.parse(list.stdout).map((p: { version: string }) => p.version)).toEqual(version ? [version] : []);
  const check = await checkStore(home);
  expect(check.problems).toEqual([]);
  const onDisk = await readdir(join(home, 'plugins')).catch(() => []);
  if (version) {
    expect(onDisk).toEqual(['notes']);
    expect((await readFile(join(home, 'plugins', 'notes', 'VERSION'), 'utf8')).trim()).toBe(version);
    expect(await readFile(join(home, 'data', 'notes', 'keep.txt'), 'utf8')).toBe('user data\n');
  } else {
    expect(onDisk).toEqual([]);
  }
  expect(existsSync(join(home, 'journal.json'))).toBe(false);
  return version;
}

describe('crash safety', () => {
  it(`survives kill -9 at ${TRIALS} seeded random points of installs and updates`, async () => {
    const random = rng(SEED);
    await mkdir(join(home, 'data', 'notes'), { recursive: true });
    await writeFile(join(home, 'data', 'notes', 'keep.txt'), 'user data\n');
    const args = (v: string) => ['plugin-install', pkgs[v]!, '--allow-unsigned', '--allow-downgrade', '--home', home];
    // Calibrate: how long one whole update takes on this machine, so kills spread over all of it.
    const full = await runAndKill(args('1.0.0'), undefined);
    expect(full.code).toBe(0);
    const span = full.ms * 1.2;
    let version: string | undefined = '1.0.0';
    const outcomes = { old: 0, new: 0 };
    for (let i = 0; i < TRIALS; i++) {
      if (i % 10 === 5 && version) {
        expect((await pm(['plugin-uninstall', 'notes', '--home', home])).exitCode).toBe(0); // data kept
        version = undefined;
      }
      const target = version === '1.0.0' ? '2.0.0' : '1.0.0';
      const before = version;
      const r = await runAndKill(args(target), Math.floor(random() * span));
      version = await expectConsistent([before, target]);
      if (r.code === 0) expect(version).toBe(target);
      outcomes[version === target ? 'new' : 'old'] += 1;
    }
    // The seeded points land both before and after the commit.
    expect(outcomes.old).toBeGreaterThan(0);
    expect(outcomes.new).toBeGreaterThan(0);
    const doctor = await pm(['doctor', '--json', '--home', home]);
    const store = JSON.parse(doctor.stdout).checks.find((c: { name: string }) => c.name === 'store');
    expect(store.status).toBe('ok');
  }, 600_000);

  it.each([
    ['journal', 'old'], ['moved-aside', 'old'], ['moved-in', 'old'], ['committed', 'new'],
  ] as const)('a kill right after step "%s" of an update leaves the %s version', async (step, expected) => {
    const before = (await stateJson()).plugins.notes?.version ?? (await pm(['plugin-install', pkgs['1.0.0']!, '--allow-unsigned', '--home', home]), '1.0.0');
    const target = before === '1.0.0' ? '2.0.0' : '1.0.0';
    const r = await runAndKill(['plugin-install', pkgs[target]!, '--allow-unsigned', '--allow-downgrade', '--home', home], undefined, { PM_CRASH_AT: step });
    expect(r.signal).toBe('SIGKILL');
    const after = await expectConsistent([before, target]);
    expect(after).toBe(expected === 'old' ? before : target);
  });

  it.each(['journal', 'moved-in', 'committed'] as const)('a kill right after step "%s" of a fresh install leaves a consistent store', async (step) => {
    if ((await stateJson()).plugins.notes) expect((await pm(['plugin-uninstall', 'notes', '--home', home])).exitCode).toBe(0);
    const r = await runAndKill(['plugin-install', pkgs['1.0.0']!, '--allow-unsigned', '--home', home], undefined, { PM_CRASH_AT: step });
    expect(r.signal).toBe('SIGKILL');
    expect(await expectConsistent([undefined, '1.0.0'])).toBe(step === 'committed' ? '1.0.0' : undefined);
  });
});
