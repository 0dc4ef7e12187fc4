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
  it('reach other enabled plugins after install, disable, enable and uninstall', async () => {
    const listener = join(tmp.dir, 'listener');
    const subject = join(tmp.dir, 'subject');
    await cp(fixture('lifecycle-listener'), listener, { recursive: true });
    await cp(fixture('lifecycle-subject'), subject, { recursive: true });
    expect((await pm(['plugin-install', listener, '--home', home])).exitCode).toBe(0);

    for (const args of [['plugin-install', subject], ['plugin-disable', 'subject'], ['plugin-enable', 'subject'], ['plugin-uninstall', 'subject']]) {
      const r = await pm([...args, '--home', home]);
      expect(r.exitCode, r.stderr).toBe(0);
    }
    expect(await events()).toEqual([
      'plugin:installed subject@2.0.0',
      'plugin:disabled subject@2.0.0',
      'plugin:enabled subject@2.0.0',
      'plugin:uninstalled subject@2.0.0',
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
