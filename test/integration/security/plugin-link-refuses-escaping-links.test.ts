import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pm, tempDir } from '../../helpers/pm.js';
import { notesPlugin } from '../../helpers/store.js';

// Issue 13.6: plugin-link accepted a folder holding `assets -> ~/.ssh`, and Node follows
// links inside the granted plugin folder, so the plugin read ~/.ssh through it.
const tmp = await tempDir('pm-link-escape-');
const home = join(tmp.dir, 'home');
const pmHome = join(tmp.dir, 'pm');
const run = (...args: string[]) => pm([...args, '--home', pmHome], { env: { HOME: home } });
afterAll(() => tmp.cleanup());

describe('plugin-link refuses a folder with a link that leaves it', () => {
  it.each([
    ['assets', '~/.ssh'],
    ['test/fixtures/keys', 'a folder outside, below an ignored path'],
  ])('refuses %s pointing to %s with exit 3, and records nothing', async (linkPath, _what) => {
    await mkdir(join(home, '.ssh'), { recursive: true });
    await writeFile(join(home, '.ssh', 'id_ed25519'), 'fake key\n');
    const dev = await notesPlugin(join(tmp.dir, `dev-${linkPath.replace(/\//g, '-')}`));
    await mkdir(join(dev, linkPath, '..'), { recursive: true });
    await symlink(join(home, '.ssh'), join(dev, linkPath));

    const r = await run('plugin-link', dev);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain(`refused ${dev}: ${linkPath} is a symbolic link to ${join(home, '.ssh')}, outside the plugin folder`);
    expect(r.stderr).toContain('hint: replace the link with the files it points to');
    expect(r.stdout).toBe('');
    // Nothing half-written: no record, no data folder.
    expect(JSON.parse((await run('plugin-list', '--json')).stdout)).toEqual([]);
    expect(existsSync(join(pmHome, 'data', 'notes'))).toBe(false);
  });

  it('links a folder whose links stay inside it', async () => {
    const dev = await notesPlugin(join(tmp.dir, 'dev-inside'));
    await mkdir(join(dev, 'real-assets'));
    await symlink(join(dev, 'real-assets'), join(dev, 'assets'));
    await symlink('../real-assets', join(dev, 'real-assets', 'self'));
    const r = await run('plugin-link', dev);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe(`Linked notes@1.0.0 to ${dev}, enabled`);
  });
});
