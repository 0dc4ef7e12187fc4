import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { tempDir } from '../../helpers/pm.js';
import { storePlugin } from '../../helpers/store.js';
import { installPackages, installPlugin } from '../../../src/core/store/install.js';
import { uninstallPlugin } from '../../../src/core/store/uninstall.js';
import { setEnabled } from '../../../src/core/store/enable.js';
import { readState } from '../../../src/core/store/state.js';
import { checkStore } from '../../../src/core/store/check.js';

const tmp = await tempDir('pm-deps-');
afterAll(() => tmp.cleanup());
let n = 0;
const freshHome = () => join(tmp.dir, `home${++n}`);
const plugin = (name: string, version: string, dependencies?: Record<string, string>) =>
  storePlugin(join(tmp.dir, 'src', `${name}-${version}-${++n}`), name, version, dependencies ? { dependencies } : {});

describe('plugin dependencies', () => {
  it('refuses a plugin whose dependency is missing, listing it and the command that installs it', async () => {
    const home = freshHome();
    const err = await installPlugin(await plugin('notes', '1.0.0', { storage: '^2.0.0' }), { home }).catch((e) => e);
    expect(err.code).toBe('DEPENDENCY_MISSING');
    expect(err.message).toBe('notes@1.0.0 needs storage ^2.0.0, which is not installed');
    expect(err.hint).toContain("pm marketplace-install 'storage@^2.0.0'");
    expect(err.exitCode).toBe(1);
    expect((await readState(home)).plugins).toEqual({});
  });

  it('refuses a plugin whose dependency is installed at a conflicting version', async () => {
    const home = freshHome();
    await installPlugin(await plugin('storage', '1.4.0'), { home });
    const err = await installPlugin(await plugin('notes', '1.0.0', { storage: '^2.0.0' }), { home }).catch((e) => e);
    expect(err.code).toBe('DEPENDENCY_CONFLICT');
    expect(err.message).toBe('notes@1.0.0 needs storage ^2.0.0, but storage@1.4.0 is installed');
    expect(err.hint).toContain('pm plugin-update storage');
    expect(Object.keys((await readState(home)).plugins)).toEqual(['storage']);
  });

  it('refuses an update that would break an installed dependent, naming it', async () => {
    const home = freshHome();
    await installPlugin(await plugin('storage', '2.1.0'), { home });
    await installPlugin(await plugin('notes', '1.0.0', { storage: '^2.0.0' }), { home });
    const err = await installPlugin(await plugin('storage', '3.0.0'), { home }).catch((e) => e);
    expect(err.code).toBe('DEPENDENT_WOULD_BREAK');
    expect(err.message).toBe('installing storage@3.0.0 would break notes@1.0.0 (needs storage ^2.0.0)');
    expect(err.hint).toContain('update or uninstall notes first');
    expect((await readState(home)).plugins.storage!.version).toBe('2.1.0');
    expect((await checkStore(home)).ok).toBe(true);
  });

  it('installs a plugin together with its dependency as one set', async () => {
    const home = freshHome();
    const results = await installPackages([
      { source: await plugin('notes', '1.0.0', { storage: '^2.0.0' }) },
      { source: await plugin('storage', '2.0.0') },
    ], { home });
    expect(results.map((r) => `${r.name}@${r.version}:${r.enabled}`)).toEqual(['notes@1.0.0:true', 'storage@2.0.0:true']);
  });

  it('installs nothing of a set when one member fails', async () => {
    const home = freshHome();
    const err = await installPackages([
      { source: await plugin('storage', '2.0.0') },
      { source: await plugin('notes', '1.0.0', { storage: '^2.0.0', search: '^1.0.0' }) },
    ], { home }).catch((e) => e);
    expect(err.code).toBe('DEPENDENCY_MISSING');
    expect(err.message).toBe('notes@1.0.0 needs search ^1.0.0, which is not installed');
    expect((await readState(home)).plugins).toEqual({});
    expect((await checkStore(home)).problems).toEqual([]);
  });

  it('refuses to uninstall a dependency while a dependent is installed, unless forced', async () => {
    const home = freshHome();
    await installPlugin(await plugin('storage', '2.0.0'), { home });
    await installPlugin(await plugin('notes', '1.0.0', { storage: '^2.0.0' }), { home });
    const err = await uninstallPlugin('storage', { home }).catch((e) => e);
    expect(err.code).toBe('HAS_DEPENDENTS');
    expect(err.message).toBe('storage is needed by notes@1.0.0 (^2.0.0)');
    expect(err.hint).toBe('uninstall notes first, or add --force to leave it broken');
    const forced = await uninstallPlugin('storage', { home, force: true });
    expect(forced.brokenDependents).toEqual(['notes']);
  });

  it('enables a plugin only when its dependencies are enabled, and disabling a needed one is refused', async () => {
    const home = freshHome();
    await installPlugin(await plugin('storage', '2.0.0'), { home });
    await installPlugin(await plugin('notes', '1.0.0', { storage: '^2.0.0' }), { home });
    const busy = await setEnabled('storage', false, { home }).catch((e) => e);
    expect(busy.code).toBe('HAS_DEPENDENTS');
    expect(busy.message).toBe('storage is needed by the enabled plugin notes');
    await setEnabled('notes', false, { home });
    await setEnabled('storage', false, { home });
    const err = await setEnabled('notes', true, { home }).catch((e) => e);
    expect(err.code).toBe('DEPENDENCY_DISABLED');
    expect(err.message).toBe('notes needs storage, which is disabled');
    expect(err.hint).toBe('pm plugin-enable storage, then enable notes');
    await setEnabled('storage', true, { home });
    expect((await setEnabled('notes', true, { home })).enabled).toBe(true);
  });

  it('installs a plugin whose dependency is disabled, but leaves it disabled and says why', async () => {
    const home = freshHome();
    await installPlugin(await plugin('storage', '2.0.0'), { home, enable: false });
    const r = await installPlugin(await plugin('notes', '1.0.0', { storage: '^2.0.0' }), { home });
    expect(r.enabled).toBe(false);
    expect(r.note).toContain('storage is disabled');
  });
});
