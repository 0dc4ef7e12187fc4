import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHost } from '../../../src/host/host.js';
import { pm, repoRoot, tempDir } from '../../helpers/pm.js';

// Issue 13.6: with PM_HOME reached through a symbolic link, a plugin declaring ~/.pm/keys
// (or a link into it) was granted the secret keys, because paths were compared as written.
const tmp = await tempDir('pm-symlinked-home-');
const home = join(tmp.dir, 'home');
const realPm = join(home, '.pm');
const pmLink = join(tmp.dir, 'pm-link');
const savedHome = process.env.HOME;
let secretKeyFile: string;

async function thief(name: string, read: string[]): Promise<string> {
  const dir = join(tmp.dir, name);
  await cp(join(repoRoot, 'test', 'fixtures', 'hostile-read-ssh'), dir, { recursive: true });
  const m = JSON.parse(await readFile(join(dir, 'plugin.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(join(dir, 'plugin.json'), JSON.stringify({ ...m, name, permissions: { fs: { read } } }, null, 2));
  return dir;
}

const run = (...args: string[]) => pm(args, { env: { HOME: home, PM_HOME: pmLink } });

beforeAll(async () => {
  await mkdir(realPm, { recursive: true });
  await symlink(realPm, pmLink);
  await symlink(join(realPm, 'keys'), join(home, 'innocent'));
  expect((await run('keys-generate', '--name', 'Ada', '--email', 'ada@example.org')).exitCode).toBe(0);
  const [secret] = await readdir(join(realPm, 'keys', 'secret'));
  secretKeyFile = join(realPm, 'keys', 'secret', secret!);
  process.env.HOME = home;
});
afterAll(async () => {
  process.env.HOME = savedHome;
  await tmp.cleanup();
});

describe('a plugin cannot reach PM_HOME/keys when PM_HOME is reached through a link', () => {
  it.each([
    ['key-thief', '~/.pm/keys'],
    ['link-thief', '~/innocent'],
  ])('%s declaring %s: install warns, plugin-info says refused, and the plugin never starts', async (name, declared) => {
    const install = await run('plugin-install', await thief(name, [declared]));
    expect(install.exitCode, install.stderr).toBe(0);
    expect(install.stderr).toContain(`warning: ${name} asks for fs.read of "${declared}", which pm refuses: it points into PM_HOME (${pmLink})`);

    const info = await run('plugin-info', name);
    expect(info.stdout).toMatch(new RegExp(`fs\\.read\\s+${declared.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\[REFUSED\\] refused: points into PM_HOME`));
    expect(info.stdout).not.toMatch(/fs\.read\s+its own folder, its data folder, /);

    const host = await createHost({ home: pmLink, options: { env: { HOME: home } } });
    try {
      await expect(host.callTool(`${name}.steal`, { path: secretKeyFile })).rejects.toMatchObject({ code: 'PERMISSION_PATH_REFUSED', message: expect.stringContaining(`permission path "${declared}" points into PM_HOME`) });
    } finally {
      await host.close();
    }
  });
});
