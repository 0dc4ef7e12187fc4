/**
 * Security regression (issue 13.1): a plugin that writes garbage to its host channel (fd 3)
 * used to kill `pm serve` (Node's IPC parser threw outside any handler). Now garbage is that
 * plugin's crash: it is stopped, restarted with backoff, then marked failed, while the host
 * and its neighbours keep answering.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createHost, type Host } from '../../../src/host/host.js';
import { eventually, fixturePlugin, fixturesDir } from '../../helpers/host-plugins.js';
import { pm, tempDir } from '../../helpers/pm.js';
import { connectStdio, servePluginsDir } from '../../helpers/serve.js';

const tmp = await tempDir('pm-garbage-');
afterAll(() => tmp.cleanup());

let host: Host | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

async function make(dir: string): Promise<{ h: Host; logs: string[] }> {
  const logs: string[] = [];
  host = await createHost({
    plugins: ['hostile-channel-garbage', 'host-notes'].map((f) => fixturePlugin(f, join(tmp.dir, dir))),
    options: { backoffMs: 10, log: (e) => logs.push(`[${e.plugin ?? ''}] ${e.level}: ${e.message}`) },
  });
  return { h: host, logs };
}

const stopped = (why: string) => `plugin garbage was stopped: it broke the host protocol: ${why}`;

describe('garbage on a plugin channel crashes that plugin, never the host', () => {
  it.each([
    ['a line that is not JSON', 'not_json', 'sent a line that is not JSON ("this is not json")'],
    ['a JSON line that is not a protocol message', 'not_protocol', 'sent a message that is not part of the protocol'],
    ['a line over the 16 MiB limit', 'huge', 'sent a message longer than 16777216 bytes'],
  ])('%s: the call fails as a crash, the neighbour answers, the plugin restarts on next use', async (_what, tool, why) => {
    const { h, logs } = await make(tool);
    await expect(h.callTool(`garbage.${tool}`, {})).rejects.toMatchObject({ code: 'PLUGIN_CRASHED', message: stopped(why) });
    expect(logs).toContain(`[garbage] error: broke the host protocol: ${why}; stopping it`);
    expect((await h.callTool('notes.echo', { text: 'still here' })).content[0]).toEqual({ type: 'text', text: 'still here' });
    expect(h.stats().plugins.find((p) => p.name === 'garbage')).toMatchObject({ state: 'idle', crashes: 1, lastError: stopped(why) });
    expect((await h.callTool('garbage.ok', {})).content[0]).toEqual({ type: 'text', text: 'fine' });
    expect(h.stats().plugins.find((p) => p.name === 'garbage')).toMatchObject({ state: 'running', starts: 2 });
  });

  it('half a message then exit: the call sees the exit; after repeated garbage the plugin is failed and the neighbour still answers', async () => {
    const { h } = await make('half');
    await expect(h.callTool('garbage.half_then_exit', {})).rejects.toMatchObject({ code: 'PLUGIN_CRASHED', message: 'plugin garbage exited unexpectedly (code 0)' });
    await expect(h.callTool('garbage.not_json', {})).rejects.toMatchObject({ code: 'PLUGIN_CRASHED' });
    await expect(h.callTool('garbage.not_protocol', {})).rejects.toMatchObject({ code: 'PLUGIN_CRASHED' });
    expect(h.stats().plugins.find((p) => p.name === 'garbage')).toMatchObject({ state: 'failed', crashes: 3 });
    await expect(h.callTool('garbage.ok', {})).rejects.toMatchObject({ code: 'PLUGIN_FAILED' });
    expect((await h.callTool('notes.echo', { text: 'ok' })).content[0]).toEqual({ type: 'text', text: 'ok' });
  });

  it('garbage from a server:started hook: the dispatch completes, the plugin is reported crashed, the neighbour answers', async () => {
    const { h } = await make('hook');
    await h.hooks.dispatch('server:started', { transport: 'stdio' }, {});
    await eventually(() => h.stats().plugins.find((p) => p.name === 'garbage')!.crashes === 1, 'the hostile plugin\'s crash');
    expect(h.stats().plugins.find((p) => p.name === 'garbage')!.lastError).toBe(stopped('sent a line that is not JSON ("\\u0000\\u0001 not json either")'));
    expect((await h.callTool('notes.echo', { text: 'after' })).content[0]).toEqual({ type: 'text', text: 'after' });
  });

  it('a real pm serve --mcp with the hostile plugin installed starts, keeps serving its neighbour, and reports the garbage as a tool error', async () => {
    const home = join(tmp.dir, 'serve-home');
    for (const f of [join(fixturesDir, 'hostile-channel-garbage'), join(servePluginsDir, 'echo')]) {
      const r = await pm(['plugin-install', f, '--home', home]);
      expect(r.exitCode, r.stderr).toBe(0);
    }
    const s = await connectStdio(home);
    try {
      const names = (await s.client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('garbage__not_json');
      const bad = await s.client.callTool({ name: 'garbage__not_json', arguments: {} });
      expect(bad.isError).toBe(true);
      expect(JSON.stringify(bad.content)).toContain('it broke the host protocol');
      const echoTool = names.find((n) => n.startsWith('echo__'))!;
      const good = await s.client.callTool({ name: echoTool, arguments: { text: 'alive' } });
      expect(good.isError).toBeFalsy();
      expect(s.stderr()).toContain('[garbage] broke the host protocol');
    } finally {
      await s.close();
    }
  });
});
