import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../../src/core/manifest/types.js';
import { describeServerUpdate } from '../../../../src/core/sources/describe-update.js';
import { makePin, writePin } from '../../../../src/core/store/pins.js';

let home: string;
beforeEach(async () => { home = await mkdtemp(join(tmpdir(), 'pm-describe-update-')); });
afterEach(async () => { await rm(home, { recursive: true, force: true }); });

const m = (version: string, extra: Partial<Manifest> = {}): Manifest => ({ name: 'srv', version, description: 'd', server: { command: 'node', args: ['${pluginDir}/a.js'] }, ...extra });

describe('describeServerUpdate', () => {
  it('says the version change, unchanged permissions and that tools are not pinned yet', async () => {
    expect(await describeServerUpdate(m('1.0.0'), m('1.1.0'), home)).toEqual(['version: 1.0.0 → 1.1.0', 'permissions: unchanged', 'tools: not pinned yet; recorded on the first start']);
  });

  it('names a changed command and each changed permission', async () => {
    const after = m('2.0.0', { server: { command: 'node', args: ['${pluginDir}/b.js'] }, permissions: { network: ['api.example.org'] } });
    const lines = await describeServerUpdate(m('1.0.0'), after, home);
    expect(lines).toContain("command: node '${pluginDir}/a.js' → node '${pluginDir}/b.js'");
    expect(lines.find((l) => l.startsWith('permission network:'))).toContain('api.example.org');
  });

  it('compares declared tool lists by name', async () => {
    const tool = (name: string, description = name) => ({ name, description, inputSchema: { type: 'object' as const } });
    const lines = await describeServerUpdate(m('1.0.0', { contributes: { tools: [tool('a'), tool('b')] } }), m('1.1.0', { contributes: { tools: [tool('b', 'new'), tool('c')] } }), home);
    expect(lines).toContain('tools (declared): added c; removed a; changed b');
  });

  it('says the pin stays in force until plugin-tools-accept when tools are pinned', async () => {
    await writePin(home, makePin('srv', '1.0.0', [{ name: 'echo' }]));
    expect(await describeServerUpdate(m('1.0.0'), m('1.1.0'), home)).toContain("tools: 1 pinned; if 1.1.0 reports other tools, pm keeps serving the pinned ones until 'pm plugin-tools-accept srv'");
  });
});
