// Every store operation announces its lifecycle event from core/store, exactly once, after the
// change is committed (an injected transport stands in for the CLI's plugin notifier).
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { installPackages, installPlugin, updatePlugin } from '../../../../src/core/store/install.js';
import { linkPlugin } from '../../../../src/core/store/link.js';
import { setEnabled } from '../../../../src/core/store/enable.js';
import { uninstallPlugin } from '../../../../src/core/store/uninstall.js';
import { readState } from '../../../../src/core/store/state.js';
import { STORE_EVENTS, setStoreEventTransport, type StoreEvent } from '../../../../src/core/store/events.js';
import { storePlugin } from '../../../helpers/store.js';
import { tempDir } from '../../../helpers/pm.js';

const tmp = await tempDir('pm-store-events-');
afterAll(() => tmp.cleanup());

let seen: StoreEvent[];
let n = 0;
let home: string;
beforeEach(() => {
  seen = [];
  home = join(tmp.dir, `home${++n}`);
  setStoreEventTransport((e) => void seen.push(e));
});
afterEach(() => setStoreEventTransport(undefined));

const lines = () => seen.map((e) => `${e.event} ${e.value.operation} ${e.value.name}@${e.value.version}${e.value.previousVersion ? ` (was ${e.value.previousVersion})` : ''}`);
const src = (name: string, version: string) => storePlugin(join(tmp.dir, `src-${n}`, `${name}-${version}`), name, version);

describe('store events', () => {
  it('pairs every store operation with one built-in lifecycle event, in one table', () => {
    expect(STORE_EVENTS).toEqual({
      install: 'plugin:installed', update: 'plugin:installed', link: 'plugin:installed',
      enable: 'plugin:enabled', disable: 'plugin:disabled', uninstall: 'plugin:uninstalled',
    });
  });

  it('announces install, update, link, disable, enable and uninstall once each, after the change is committed', async () => {
    setStoreEventTransport(async (e) => {
      // The change is visible (and the lock released) when its event goes out.
      const state = await readState(e.home);
      seen.push({ ...e, value: { ...e.value, ...(e.event === 'plugin:uninstalled' ? { gone: !state.plugins[e.value.name] } : { stored: state.plugins[e.value.name]?.version }) } as never });
    });
    await installPlugin(await src('notes', '1.0.0'), { home });
    await updatePlugin('notes', await src('notes', '1.1.0'), { home });
    await linkPlugin(await src('notes', '1.2.0'), { home });
    await setEnabled('notes', false, { home });
    await setEnabled('notes', true, { home });
    await uninstallPlugin('notes', { home });
    expect(lines()).toEqual([
      'plugin:installed install notes@1.0.0',
      'plugin:installed update notes@1.1.0 (was 1.0.0)',
      'plugin:installed link notes@1.2.0 (was 1.1.0)',
      'plugin:disabled disable notes@1.2.0',
      'plugin:enabled enable notes@1.2.0',
      'plugin:uninstalled uninstall notes@1.2.0',
    ]);
    expect(seen.map((e) => (e.value as unknown as { stored?: string; gone?: boolean }))).toMatchObject([
      { stored: '1.0.0' }, { stored: '1.1.0' }, { stored: '1.2.0' }, { stored: '1.2.0' }, { stored: '1.2.0' }, { gone: true },
    ]);
    expect(new Set(seen.map((e) => e.home))).toEqual(new Set([home]));
  });

  it('announces each plugin of a set install once (the marketplace path), a reinstall as an update', async () => {
    await installPackages([{ source: await src('a', '1.0.0') }, { source: await src('b', '1.0.0') }], { home });
    await installPlugin(await src('a', '1.0.0'), { home, force: true });
    expect(lines()).toEqual(['plugin:installed install a@1.0.0', 'plugin:installed install b@1.0.0', 'plugin:installed update a@1.0.0 (was 1.0.0)']);
  });

  it('announces nothing for a refused change or one that changes nothing', async () => {
    await installPlugin(await src('a', '1.0.0'), { home });
    seen.length = 0;
    await expect(installPlugin(await src('a', '1.0.0'), { home })).rejects.toMatchObject({ code: 'ALREADY_INSTALLED' });
    await expect(setEnabled('a', true, { home })).resolves.toMatchObject({ changed: false });
    await expect(uninstallPlugin('nope', { home })).rejects.toMatchObject({ code: 'NOT_INSTALLED' });
    expect(seen).toEqual([]);
  });

  it('keeps a committed change when the transport throws', async () => {
    setStoreEventTransport(() => { throw new Error('listener down'); });
    await expect(installPlugin(await src('a', '1.0.0'), { home })).resolves.toMatchObject({ name: 'a', action: 'installed' });
    expect((await readState(home)).plugins.a?.version).toBe('1.0.0');
  });
});
