import { afterAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { emitLifecycleEvent } from '../../../src/host/emit-event.js';
import { readHookStats } from '../../../src/host/stats-file.js';
import { pmBin, tempDir } from '../../helpers/pm.js';
import { fixturesDir } from '../../helpers/host-plugins.js';

const tmp = await tempDir('pm-emit-');
afterAll(() => tmp.cleanup());

describe('emitLifecycleEvent', () => {
  it('runs the enabled plugins\' handlers for a lifecycle event, then stops them and saves stats', async () => {
    const home = join(tmp.dir, 'home');
    const r0 = await execa(process.execPath, [pmBin, 'plugin-install', join(fixturesDir, 'host-lifecycle'), '--home', home], { reject: false });
    expect(r0.exitCode, r0.stderr).toBe(0);
    const r = await emitLifecycleEvent({ home, event: 'plugin:installed', value: { name: 'notes', version: '1.0.0' }, options: { log: () => {} } });
    expect(r.handlers).toEqual([expect.objectContaining({ plugin: 'lifecycle', outcome: 'ok' })]);
    expect(await readFile(join(home, 'data', 'lifecycle', 'installed.log'), 'utf8')).toBe('notes\n');
    expect((await readHookStats(home))!.handlers).toEqual([expect.objectContaining({ event: 'plugin:installed', plugin: 'lifecycle', calls: 1 })]);
  });

  it('refuses an event that is not a lifecycle action', async () => {
    await expect(emitLifecycleEvent({ home: tmp.dir, event: 'tool:after-call' as never, value: null })).rejects.toMatchObject({ code: 'HOOK_EVENT_INVALID' });
  });
});
