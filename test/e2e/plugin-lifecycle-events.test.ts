import { afterAll, describe, expect, it } from 'vitest';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pm, repoRoot, tempDir } from '../helpers/pm.js';

const tmp = await tempDir();
afterAll(() => tmp.cleanup());
const home = join(tmp.dir, 'home');
const fixture = (name: string) => join(repoRoot, 'test/fixtures', name);
const events = () => readFile(join(home, 'data', 'listener', 'events.log'), 'utf8').then((s) => s.trim().split('\n'));

describe('plugin:* lifecycle events', () => {
  it('reach other enabled plugins once per store change: install, update, link, disable, enable, uninstall', async () => {
    const listener = join(tmp.dir, 'listener');
    const subject = join(tmp.dir, 'subject');
    const subject21 = join(tmp.dir, 'subject-2.1');
    const subject22 = join(tmp.dir, 'subject-2.2');
    await cp(fixture('lifecycle-listener'), listener, { recursive: true });
    for (const [dir, version] of [[subject, '2.0.0'], [subject21, '2.1.0'], [subject22, '2.2.0']] as const) {
      await cp(fixture('lifecycle-subject'), dir, { recursive: true });
      const m = JSON.parse(await readFile(join(dir, 'plugin.json'), 'utf8'));
      await writeFile(join(dir, 'plugin.json'), JSON.stringify({ ...m, version }));
    }
    expect((await pm(['plugin-install', listener, '--home', home])).exitCode).toBe(0);

    for (const args of [['plugin-install', subject], ['plugin-update', 'subject', subject21], ['plugin-link', subject22], ['plugin-disable', 'subject'], ['plugin-disable', 'subject'], ['plugin-enable', 'subject'], ['plugin-uninstall', 'subject']]) {
      const r = await pm([...args, '--home', home]);
      expect(r.exitCode, r.stderr).toBe(0);
    }
    // The second plugin-disable changes nothing, so it announces nothing.
    expect(await events()).toEqual([
      'plugin:installed install subject@2.0.0',
      'plugin:installed update subject@2.1.0',
      'plugin:installed link subject@2.2.0',
      'plugin:disabled disable subject@2.2.0',
      'plugin:enabled enable subject@2.2.0',
      'plugin:uninstalled uninstall subject@2.2.0',
    ]);
  });

  it('never runs the code of the plugin being installed', async () => {
    // subject listens to plugin:installed; installing it must not start it.
    const h2 = join(tmp.dir, 'home2');
    expect((await pm(['plugin-install', fixture('lifecycle-subject'), '--home', h2])).exitCode).toBe(0);
    expect(existsSync(join(h2, 'data', 'subject', 'ran.txt'))).toBe(false);
  });

  it('a failing handler is a warning: the install itself succeeds', async () => {
    const h3 = join(tmp.dir, 'home3');
    const broken = join(tmp.dir, 'broken-listener');
    await cp(fixture('lifecycle-listener'), broken, { recursive: true });
    await writeFile(join(broken, 'index.js'), "export default { hooks: { 'plugin:installed': async () => { throw new Error('listener broke'); }, 'plugin:enabled': async () => {}, 'plugin:disabled': async () => {}, 'plugin:uninstalled': async () => {} } };\n");
    expect((await pm(['plugin-install', broken, '--home', h3])).exitCode).toBe(0);
    const r = await pm(['plugin-install', fixture('lifecycle-subject'), '--home', h3]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Installed subject@2.0.0');
    expect(r.stderr).toContain('warning: the plugin:installed handler of listener failed');
    expect(r.stderr).toContain('listener broke');
  });
});
