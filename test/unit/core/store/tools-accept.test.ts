import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installPlugin } from '../../../../src/core/store/install.js';
import { hashTools, makePin, readPin, withReported, writePin } from '../../../../src/core/store/pins.js';
import { readState } from '../../../../src/core/store/state.js';
import { acceptToolsChange, pendingToolsChange } from '../../../../src/core/store/tools-accept.js';
import { storePlugin } from '../../../helpers/store.js';
import { fixturesDir } from '../../../helpers/host-plugins.js';

const a = { name: 'a', description: 'A', inputSchema: { type: 'object' } };
const b = { name: 'b', description: 'B', inputSchema: { type: 'object' } };

let tmp: string;
let home: string;
beforeEach(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'pm-tools-accept-'));
  home = join(tmp, 'home');
  await cp(join(fixturesDir, 'servers', 'steerable'), join(tmp, 'steerable'), { recursive: true });
  await installPlugin(join(tmp, 'steerable'), { home });
});
afterEach(async () => { await rm(tmp, { recursive: true, force: true }); });

describe('pendingToolsChange / acceptToolsChange', () => {
  it('shows the difference and adopts it: new pin, audit line, restart asked of a running pm serve', async () => {
    await writePin(home, withReported(makePin('steerable', '1.0.0', [a]), [{ ...a, description: 'A, changed' }, b]));
    const change = await pendingToolsChange('steerable', { home });
    expect(change.diff).toEqual({ added: ['b'], removed: [], modified: ['a'] });
    expect(change.modified[0]!.after.description).toBe('A, changed');
    const r = await acceptToolsChange('steerable', { home, expectHash: change.reported.hash });
    expect(r.accepted).toMatchObject({ hash: hashTools([{ ...a, description: 'A, changed' }, b]), tools: 2 });
    const pin = await readPin(home, 'steerable');
    expect(pin?.changed).toBeUndefined();
    expect(pin?.tools.map((t) => t.name)).toEqual(['a', 'b']);
    expect((await readState(home)).plugins.steerable!.restartRequestedAt).toBeTruthy();
    expect(await readFile(join(home, 'logs', 'audit.log'), 'utf8')).toMatch(/"action":"tools-accept","plugin":"steerable"/);
  });

  it('refuses when the tools changed again since they were shown (TOOLS_CHANGED_AGAIN), and changes nothing', async () => {
    await writePin(home, withReported(makePin('steerable', '1.0.0', [a]), [b]));
    const shown = await pendingToolsChange('steerable', { home });
    await writePin(home, withReported(makePin('steerable', '1.0.0', [a]), [a, b]));
    const before = await readFile(join(home, 'pins', 'steerable.json'), 'utf8');
    await expect(acceptToolsChange('steerable', { home, expectHash: shown.reported.hash })).rejects.toMatchObject({ code: 'TOOLS_CHANGED_AGAIN' });
    expect(await readFile(join(home, 'pins', 'steerable.json'), 'utf8')).toBe(before);
    expect((await readState(home)).plugins.steerable!.restartRequestedAt).toBeUndefined();
  });

  it('refuses a plugin with no pin (PIN_MISSING) or no change (TOOLS_NOT_CHANGED)', async () => {
    await expect(pendingToolsChange('steerable', { home })).rejects.toMatchObject({ code: 'PIN_MISSING' });
    await writePin(home, makePin('steerable', '1.0.0', [a]));
    await expect(acceptToolsChange('steerable', { home })).rejects.toMatchObject({ code: 'TOOLS_NOT_CHANGED' });
  });

  it('refuses a server plugin that declares its tools (TOOLS_DECLARED) and a module plugin (NOT_A_SERVER_PLUGIN)', async () => {
    // The installed manifest edited in place: a folder install would check the declared tools against the server.
    const installed = join(home, 'plugins', 'steerable', 'plugin.json');
    const m = JSON.parse(await readFile(installed, 'utf8'));
    await writeFile(installed, JSON.stringify({ ...m, contributes: { tools: [a] } }));
    await expect(pendingToolsChange('steerable', { home })).rejects.toMatchObject({ code: 'TOOLS_DECLARED', message: expect.stringContaining('declares its tools in plugin.json') });
    await installPlugin(await storePlugin(join(tmp, 'mod'), 'mod', '1.0.0'), { home });
    await expect(pendingToolsChange('mod', { home })).rejects.toMatchObject({ code: 'NOT_A_SERVER_PLUGIN' });
    await expect(pendingToolsChange('nope', { home })).rejects.toMatchObject({ code: 'NOT_INSTALLED' });
  });
});
