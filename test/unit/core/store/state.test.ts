import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '../../../helpers/pm.js';
import { dataDir, emptyState, pluginDir, readState } from '../../../../src/core/store/state.js';

const tmp = await tempDir('pm-state-');
afterAll(() => tmp.cleanup());

describe('state.json', () => {
  it('reads as an empty store when PM_HOME is new', async () => {
    expect(await readState(join(tmp.dir, 'new'))).toEqual(emptyState());
  });

  it('refuses a damaged state.json with a hint instead of treating it as empty', async () => {
    const home = join(tmp.dir, 'bad');
    await mkdir(home, { recursive: true });
    await writeFile(join(home, 'state.json'), '{"plugins": ');
    await expect(readState(home)).rejects.toMatchObject({ code: 'STATE_CORRUPT', hint: expect.stringContaining('pm doctor') });
  });

  it('places plugins under plugins/<name>, linked ones in their folder, data under data/<name>', () => {
    const state = emptyState();
    state.plugins.dev = { name: 'dev', version: '1.0.0', integrity: null, source: { type: 'link', path: '/src/dev' }, signer: null, enabled: true, installedAt: '', updatedAt: '', linked: '/src/dev', size: 0, dependencies: {}, config: {} };
    expect(pluginDir('/h', 'notes', state)).toBe(join('/h', 'plugins', 'notes'));
    expect(pluginDir('/h', 'dev', state)).toBe('/src/dev');
    expect(dataDir('/h', 'notes')).toBe(join('/h', 'data', 'notes'));
  });
});
