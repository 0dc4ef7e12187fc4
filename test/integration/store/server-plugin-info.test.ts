import { afterAll, describe, expect, it } from 'vitest';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makePin, withReported, writePin } from '../../../src/core/store/pins.js';
import { pluginInfo } from '../../../src/core/store/info.js';
import { installPlugin } from '../../../src/core/store/install.js';
import { fixturesDir } from '../../helpers/host-plugins.js';
import { pm, tempDir } from '../../helpers/pm.js';

// plugin-info of a server plugin: its kind, its command without literal env values, its pin, the
// tools changed mark and the safe names it is served under.
const tmp = await tempDir('pm-server-info-');
afterAll(() => tmp.cleanup());

describe('plugin-info of a server plugin', () => {
  it('shows kind, command (literal env values hidden), pin, tools changed and renamed tools', async () => {
    const home = join(tmp.dir, 'home');
    const dir = join(tmp.dir, 'steerable');
    await cp(join(fixturesDir, 'servers', 'steerable'), dir, { recursive: true });
    const m = JSON.parse(await readFile(join(dir, 'plugin.json'), 'utf8'));
    await writeFile(join(dir, 'plugin.json'), JSON.stringify({ ...m, server: { ...m.server, env: { API_KEY: '${secret.API_KEY}', LITERAL: 'hunter2-do-not-show' } } }));
    await installPlugin(dir, { home });
    const weird = { name: 'files.read', description: 'Read a file', inputSchema: { type: 'object' } };
    const echo = { name: 'echo', description: 'Echo', inputSchema: { type: 'object' } };
    await writePin(home, withReported(makePin('steerable', '1.0.0', [echo, weird]), [echo, weird, { ...echo, name: 'more' }]));

    const i = await pluginInfo('steerable', { home });
    expect(i.kind).toBe('server');
    expect(i.server).toEqual({ command: 'node', args: ['${pluginDir}/server.mjs'], env: { API_KEY: '${secret.API_KEY}', LITERAL: '(hidden)' }, cwd: null });
    expect(i.tools.map((t) => t.name)).toEqual(['echo', 'files.read']);
    expect(i.pin).toMatchObject({ source: 'recorded', tools: 2, toolsChanged: true, changed: { added: ['more'], removed: [], modified: [] } });
    expect(i.pin!.renamed.tools).toEqual([{ name: 'files.read', safe: expect.stringMatching(/^files_read-[0-9a-f]{8}$/) }]);

    const human = await pm(['plugin-info', 'steerable', '--home', home]);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toContain('  kind:       server');
    expect(human.stdout).toContain('  command:    node ${pluginDir}/server.mjs');
    expect(human.stdout).toContain('  env:        API_KEY=${secret.API_KEY}, LITERAL=(hidden)');
    expect(human.stdout).toMatch(/ {2}pin: {8}recorded .*, 2 tools, sha256-/);
    expect(human.stdout).toMatch(/TOOLS CHANGED .*: added more \(review: pm plugin-tools-accept steerable\)/);
    expect(human.stdout).toMatch(/ {2}renamed: {4}files\.read → files_read-[0-9a-f]{8}/);
    const json = await pm(['plugin-info', 'steerable', '--json', '--home', home]);
    expect(json.stdout).not.toContain('hunter2');
    expect(human.stdout).not.toContain('hunter2');
  });

  it('shows a module plugin as kind module, with no server and no pin', async () => {
    const home = join(tmp.dir, 'home');
    await installPlugin(join(fixturesDir, 'serve-plugins', 'guard'), { home });
    const i = await pluginInfo('guard', { home });
    expect(i).toMatchObject({ kind: 'module', server: null, pin: null });
  });
});
