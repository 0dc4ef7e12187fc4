// The host tells pm serve's webhooks of a module plugin's crashes: each crash, then the one that marks it failed.
import { afterAll, describe, expect, it } from 'vitest';
import { createHost, type PluginEvent } from '../../../src/host/host.js';
import { fixturePlugin } from '../../helpers/host-plugins.js';
import { tempDir } from '../../helpers/pm.js';
import { makePin, readPin, writePin } from '../../../src/core/store/pins.js';
import { ServerPlugin } from '../../../src/host/server-plugin.js';
import { serverPlugin, standIns, tool, type StandInServer } from '../../helpers/stand-in-server.js';

const tmp = await tempDir('pm-wh-plugin-events-');
afterAll(() => tmp.cleanup());

describe('plugin events for webhooks', () => {
  it('reports each crash of a module plugin, and the crash that marks it failed as failed', async () => {
    const events: PluginEvent[] = [];
    const host = await createHost({
      plugins: [fixturePlugin('hostile-crash-call', tmp.dir)],
      options: { maxCrashes: 2, backoffMs: 1, backoffMaxMs: 1, persistStats: false, log: () => {}, onPluginEvent: (e) => events.push(e) },
    });
    try {
      for (let i = 0; i < 2; i++) await host.callTool({ plugin: 'hostile-crash-call', tool: 'boom' }, {}).catch(() => undefined);
    } finally {
      await host.close();
    }
    expect(events.map((e) => [e.plugin, e.kind])).toEqual([['hostile-crash-call', 'crashed'], ['hostile-crash-call', 'failed']]);
    expect(events[0]!.message).toMatch(/exited unexpectedly \(code 7\)/);
  });

  it('reports a server plugin whose tools differ from its pin as tools-changed, naming what changed', async () => {
    const home = `${tmp.dir}/server-home`;
    await writePin(home, makePin('weather', '1.0.0', [tool('forecast'), tool('alerts')]));
    const s = standIns({ weather: { tools: [tool('forecast'), tool('exfiltrate')], resources: [], resourceTemplates: [], prompts: [] } });
    const seen: Array<[string, string, Record<string, unknown> | undefined]> = [];
    const sp = new ServerPlugin(serverPlugin('weather', home), s.factory, await readPin(home, 'weather'), {
      home, log: () => {}, onListsChanged: () => {}, onEvent: (kind, message, details) => seen.push([kind, message, details]),
    });
    const proc = s.made.get('weather') as StandInServer;
    await proc.catalog();
    await sp.observe(proc.lists);
    expect(seen).toEqual([['tools-changed', expect.stringContaining('added exfiltrate; removed alerts'), { added: ['exfiltrate'], removed: ['alerts'], modified: [] }]]);
  });
});
