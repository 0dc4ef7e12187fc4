import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { probeOsSandbox } from '../../src/core/runtime/os-sandbox.js';
import { pm, repoRoot, tempDir } from '../helpers/pm.js';

const tmp = await tempDir('pm-e2e-permissions-');
const home = join(tmp.dir, 'home');
const run = (args: string[], env: Record<string, string> = {}) => pm(args, { cwd: tmp.dir, env: { PM_HOME: home, ...env } });
const fallback = { PM_SANDBOX: 'node' };
const bwrap = probeOsSandbox();
afterAll(() => tmp.cleanup());

beforeAll(async () => {
  await cp(join(repoRoot, 'test', 'fixtures', 'store-notes'), join(tmp.dir, 'notes'), { recursive: true });
  expect((await run(['plugin-install', join(tmp.dir, 'notes'), '--yes'])).exitCode).toBe(0);
  expect((await run(['mcp-add', 'py', '--env', 'TOKEN=${secret.PY_TOKEN}', '--yes', '--', 'python3', 'server.py'])).exitCode).toBe(0);
});

describe('pm plugin-permissions', () => {
  it.skipIf(!bwrap.available)(bwrap.available ? 'shows the exact bwrap command: the data folder read-write, the plugin folder read-only, nothing of $HOME or PM_HOME besides' : `shows the bwrap command — SKIPPED: ${bwrap.reason}`, async () => {
    const r = await run(['plugin-permissions', 'notes', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const p = JSON.parse(r.stdout);
    expect(p).toMatchObject({ name: 'notes', kind: 'module', policy: { sandbox: { layer: 'bwrap' } }, launch: { file: expect.stringMatching(/bwrap$/) } });
    const argv: string[] = p.launch.argv;
    const binds = argv.flatMap((a, i) => (/^--(ro-)?bind(-try)?$/.test(a) ? [`${a} ${argv[i + 2]}`] : []));
    expect(binds).toContain(`--bind ${join(home, 'data', 'notes')}`);
    expect(binds).toContain(`--ro-bind ${join(home, 'plugins', 'notes')}`);
    expect(binds.filter((b) => b.includes(home) && !b.endsWith(join(home, 'data', 'notes')) && !b.endsWith(join(home, 'plugins', 'notes')))).toEqual([]);
    expect((await run(['plugin-permissions', 'notes'])).stdout).toMatch(/starts as \(in .*\):\n  \S*bwrap --unshare-all /);
  });

  it('never shows a secret or a declared variable\'s value in the command', async () => {
    expect((await pm(['secret-set', 'PY_TOKEN'], { cwd: tmp.dir, env: { PM_HOME: home }, input: 'super-secret-value\n' })).exitCode).toBe(0);
    const r = await run(['plugin-permissions', 'py', '--json']);
    const p = JSON.parse(r.stdout);
    if ('argv' in p.launch && p.launch.file.endsWith('bwrap')) {
      const i = p.launch.argv.indexOf('TOKEN');
      expect(p.launch.argv.slice(i - 1, i + 2)).toEqual(['--setenv', 'TOKEN', '<value not shown>']);
    }
    expect(r.stdout).not.toContain('super-secret-value');
  });
});

describe('pm plugin-trust where no OS sandbox runs', () => {
  it('says a server plugin does not start without full trust, records the grant with its date, shows it, and revokes it', async () => {
    const before = await run(['plugin-permissions', 'py'], fallback);
    expect(before.stdout).toContain('does not start here: py cannot start: no OS sandbox (PM_SANDBOX=node turns the OS sandbox off): a server plugin starts only with full trust');
    const granted = await run(['plugin-trust', 'py', '--full'], fallback);
    expect(granted.exitCode, granted.stderr).toBe(0);
    expect(granted.stdout).toMatch(/^Granted full trust to py@0\.0\.0 \(since \d{4}-\d\d-\d\dT/);
    const state = JSON.parse(await readFile(join(home, 'state.json'), 'utf8'));
    expect(state.plugins.py.fullTrust.since).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect((await run(['plugin-list'], fallback)).stdout).toMatch(/py\s+0\.0\.0\s+enabled, unsandboxed: full trust/);
    expect((await run(['plugin-info', 'py'], fallback)).stdout).toMatch(/sandbox\s+unsandboxed: full trust \[FULL TRUST\]/);
    expect((await run(['plugin-permissions', 'py'], fallback)).stdout).toMatch(/starts as \(in .*\):\n  \S*python3/);
    expect((await run(['plugin-trust', 'py', '--revoke'], fallback)).stdout).toBe('Revoked full trust of py@0.0.0');
    expect(JSON.parse(await readFile(join(home, 'state.json'), 'utf8')).plugins.py.fullTrust).toBeUndefined();
  });

  it('refuses a module plugin (it needs no grant) and a call without --full or --revoke, with exit 2, changing nothing', async () => {
    const before = await readFile(join(home, 'state.json'), 'utf8');
    const mod = await run(['plugin-trust', 'notes', '--full']);
    expect(mod.exitCode).toBe(2);
    expect(mod.stderr).toContain("error: notes is a module plugin: it runs under Node's permission model where bubblewrap does not run, and needs no trust grant");
    const none = await run(['plugin-trust', 'py']);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('error: give exactly one of --full and --revoke');
    expect(await readFile(join(home, 'state.json'), 'utf8')).toBe(before);
  });
});
