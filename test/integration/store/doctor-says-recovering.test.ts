// Issue 13.9: `pm doctor` reported the store as "fail" while an interrupted change waited in
// journal.json, though the next store command recovers it. It now says "recovering" (a warning).
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pm, pmBin, tempDir } from '../../helpers/pm.js';
import { notesPlugin, pack } from '../../helpers/store.js';

const tmp = await tempDir('pm-doctor-recovering-');
afterAll(() => tmp.cleanup());

/** Runs the real bin with PM_CRASH_AT so it kills itself right after that step of a change. */
const crashAt = (args: string[], step: string) => new Promise<NodeJS.Signals | null>((resolve) => {
  const child = spawn(process.execPath, [pmBin, ...args], { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1', PM_CRASH_AT: step } });
  child.on('exit', (_code, signal) => resolve(signal));
});

describe('pm doctor while a store change waits to be recovered', () => {
  it('says "recovering" (warn, exit 0) instead of "fail", and the next store command recovers it', async () => {
    const home = join(tmp.dir, 'home');
    const pkgs = join(tmp.dir, 'pkgs');
    const v1 = await pack(await notesPlugin(join(tmp.dir, 'v1'), '1.0.0'), pkgs);
    const v2 = await pack(await notesPlugin(join(tmp.dir, 'v2'), '2.0.0'), pkgs);
    expect((await pm(['plugin-install', v1, '--allow-unsigned', '--home', home])).exitCode).toBe(0);
    // Killed after moving plugins/notes aside: state.json and plugins/ disagree until recovery.
    expect(await crashAt(['plugin-install', v2, '--allow-unsigned', '--home', home], 'moved-aside')).toBe('SIGKILL');
    expect(existsSync(join(home, 'journal.json'))).toBe(true);

    const doctor = await pm(['doctor', '--json', '--home', home]);
    const store = JSON.parse(doctor.stdout).checks.find((c: { name: string }) => c.name === 'store');
    expect(store.status).toBe('warn');
    expect(store.detail).toMatch(/^recovering: /);
    expect(store.detail).toContain('an interrupted change waits to be recovered (journal.json)');
    expect(doctor.exitCode).toBe(0);

    expect((await pm(['plugin-list', '--home', home])).exitCode).toBe(0);
    const after = JSON.parse((await pm(['doctor', '--json', '--home', home])).stdout).checks.find((c: { name: string }) => c.name === 'store');
    expect(after.status).toBe('ok');
  }, 60_000);
});
