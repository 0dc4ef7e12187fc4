import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../../helpers/pm.js';
import { recoverStore, needsRecovery } from '../../../../src/core/store/transaction.js';
import { readState, writeState, emptyState } from '../../../../src/core/store/state.js';

const tmp = await tempDir('pm-tx-');
afterAll(() => tmp.cleanup());

/** A store with notes@1 installed, in the middle of an update to notes@2 that crashed after the swap. */
async function crashedUpdate(home: string, committed: boolean) {
  const state = emptyState();
  state.plugins.notes = { name: 'notes', version: '1.0.0', integrity: null, source: { type: 'dir', path: '/x' }, signer: null, enabled: true, installedAt: '', updatedAt: '', size: 0, dependencies: {}, config: {} };
  await writeState(home, state);
  await mkdir(join(home, 'trash', 'tx1', 'notes'), { recursive: true });
  await writeFile(join(home, 'trash', 'tx1', 'notes', 'VERSION'), '1');
  await mkdir(join(home, 'plugins', 'notes'), { recursive: true });
  await writeFile(join(home, 'plugins', 'notes', 'VERSION'), '2');
  await writeFile(join(home, 'journal.json'), JSON.stringify({ tx: 'tx1', started: '', ops: [{ name: 'notes', staged: join(home, 'staging', 'tx1', 'p0') }] }));
  if (committed) await writeState(home, { ...state, plugins: { notes: { ...state.plugins.notes!, version: '2.0.0' } }, lastTx: 'tx1' });
}

describe('recovery of an interrupted change', () => {
  it('rolls back an uncommitted swap: the moved-aside version returns', async () => {
    const home = join(tmp.dir, 'back');
    await crashedUpdate(home, false);
    expect(await needsRecovery(home)).toBe(true);
    expect(await recoverStore(home)).toBe('rolled-back');
    expect(await readFile(join(home, 'plugins', 'notes', 'VERSION'), 'utf8')).toBe('1');
    expect((await readState(home)).plugins.notes!.version).toBe('1.0.0');
    expect(existsSync(join(home, 'journal.json'))).toBe(false);
    expect(await readdir(join(home, 'plugins'))).toEqual(['notes']);
    expect(await needsRecovery(home)).toBe(false);
  });

  it('rolls forward a committed change: the new version stays and the old one is deleted', async () => {
    const home = join(tmp.dir, 'forward');
    await crashedUpdate(home, true);
    expect(await recoverStore(home)).toBe('rolled-forward');
    expect(await readFile(join(home, 'plugins', 'notes', 'VERSION'), 'utf8')).toBe('2');
    expect(existsSync(join(home, 'trash'))).toBe(false);
  });
});
