import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { tempDir } from '../../../helpers/pm.js';
import { listPlugins } from '../../../../src/core/store/list.js';

const tmp = await tempDir('pm-list-');
afterAll(() => tmp.cleanup());

describe('plugin-list and recovery', () => {
  it('does not wait for a live pm that is mid-install: staging belongs to it', async () => {
    const home = join(tmp.dir, 'busy');
    await mkdir(join(home, 'staging', 'tx', 'p0'), { recursive: true });
    await writeFile(join(home, 'store.lock'), JSON.stringify({ pid: process.pid, host: hostname(), since: 'now' }));
    expect(await listPlugins({ home })).toEqual([]);
    expect(existsSync(join(home, 'staging', 'tx', 'p0'))).toBe(true);
  });

  it('cleans up what a dead pm left in staging before listing', async () => {
    const home = join(tmp.dir, 'dead');
    await mkdir(join(home, 'staging', 'tx', 'p0'), { recursive: true });
    await writeFile(join(home, 'store.lock'), JSON.stringify({ pid: 4194305, host: hostname(), since: 'then' }));
    expect(await listPlugins({ home })).toEqual([]);
    expect(existsSync(join(home, 'staging'))).toBe(false);
    expect(existsSync(join(home, 'store.lock'))).toBe(false);
  });
});
