import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '../../../helpers/pm.js';
import { notesPlugin } from '../../../helpers/store.js';
import { installPlugin } from '../../../../src/core/store/install.js';
import { getConfig, setConfig, unsetConfig } from '../../../../src/core/store/config.js';
import { readState } from '../../../../src/core/store/state.js';

const tmp = await tempDir('pm-config-');
const home = join(tmp.dir, 'home');
afterAll(() => tmp.cleanup());
beforeAll(async () => { await installPlugin(await notesPlugin(join(tmp.dir, 'src')), { home }); });

describe('plugin configuration', () => {
  it('applies the schema defaults when nothing is set', async () => {
    expect(await getConfig('notes', { home })).toMatchObject({ values: { maxNotes: 100, title: 'Notes' }, set: {} });
  });

  it('sets a typed value, keeps text as text, and records it in state.json and the audit log', async () => {
    expect((await setConfig('notes', 'maxNotes', '5', { home })).values).toEqual({ maxNotes: 5, title: 'Notes' });
    expect((await setConfig('notes', 'title', '123', { home })).values.title).toBe('123');
    expect((await readState(home)).plugins.notes!.config).toEqual({ maxNotes: 5, title: '123' });
    const last = (await readFile(join(home, 'logs', 'audit.log'), 'utf8')).trim().split('\n').pop()!;
    expect(JSON.parse(last)).toMatchObject({ action: 'config', plugin: 'notes', key: 'title', change: 'set' });
  });

  it('refuses a value the schema rejects (exit 3) and keeps the old one', async () => {
    const err = await setConfig('notes', 'maxNotes', '0', { home }).catch((e) => e);
    expect(err).toMatchObject({ code: 'CONFIG_INVALID', exitCode: 3, message: "invalid configuration for notes: 'maxNotes' must be >= 1" });
    expect((await getConfig('notes', { home })).values.maxNotes).toBe(5);
  });

  it('refuses an unknown key, listing the known ones', async () => {
    const err = await setConfig('notes', 'maxnotes', '5', { home }).catch((e) => e);
    expect(err).toMatchObject({ code: 'CONFIG_UNKNOWN_KEY', message: 'notes has no configuration key "maxnotes"', hint: 'known keys: maxNotes, title' });
  });

  it('unsets a key so its default applies again, and refuses unsetting what is not set', async () => {
    expect((await unsetConfig('notes', 'maxNotes', { home })).values.maxNotes).toBe(100);
    await expect(unsetConfig('notes', 'maxNotes', { home })).rejects.toMatchObject({ code: 'CONFIG_NOT_SET' });
  });
});

describe('plugin configuration keys', () => {
  it('refuses __proto__ as a key instead of touching the prototype', async () => {
    await expect(setConfig('notes', '__proto__', '{"polluted":true}', { home })).rejects.toMatchObject({ code: 'CONFIG_UNKNOWN_KEY' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
