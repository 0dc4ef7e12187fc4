import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { makePin, readPin, writePin } from '../../../src/core/store/pins.js';
import { createHost, type Host } from '../../../src/host/host.js';
import type { ServerCatalog } from '../../../src/host/server/types.js';
import { eventually, fixturesDir, fixturePlugin } from '../../helpers/host-plugins.js';
import { tempDir } from '../../helpers/pm.js';
import { serverPlugin, standIns, tool } from '../../helpers/stand-in-server.js';

// The host with server plugins. Their processes are stand-ins (test/helpers/stand-in-server.ts):
// this file proves the host's routing, pins and hooks; real servers run in test/integration/mcp.
const tmp = await tempDir('pm-host-servers-');
afterAll(() => tmp.cleanup());

let host: Host | undefined;
let logs: { plugin?: string; level: string; message: string }[] = [];
afterEach(async () => {
  await host?.close();
  host = undefined;
  logs = [];
});

const echoServer: ServerCatalog = {
  tools: [tool('echo'), tool('files.read')],
  resources: [{ uri: 'echo://motd', name: 'motd' }],
  resourceTemplates: [{ uriTemplate: 'echo://notes/{id}', name: 'note' }],
  prompts: [{ name: 'greet', arguments: [{ name: 'who' }] }],
};

async function make(dir: string, withGuard = false) {
  const home = join(tmp.dir, dir);
  await mkdir(home, { recursive: true });
  const s = standIns({ echo: echoServer });
  const plugins = [serverPlugin('echo', home), ...(withGuard ? [fixturePlugin('serve-plugins/guard', home)] : [])];
  host = await createHost({ home, plugins, options: { serverProcess: s.factory, persistStats: false, log: (e) => logs.push(e) } });
  return { h: host, home, made: s.made };
}

describe('a server plugin in the host', () => {
  it('lists its tools from the pin without starting its process', async () => {
    const home = join(tmp.dir, 'pinned');
    await writePin(home, makePin('echo', '1.0.0', [tool('echo')]));
    const s = standIns({ echo: echoServer });
    host = await createHost({ home, plugins: [serverPlugin('echo', home)], options: { serverProcess: s.factory, persistStats: false, log: (e) => logs.push(e) } });
    expect(host.listTools().map((t) => t.name)).toEqual(['echo.echo']);
    expect(await host.pinUnpinned()).toBe(false);
    expect(s.made.get('echo')!.starts).toBe(0);
    expect(host.stats().plugins.map((p) => [p.name, p.state, p.starts])).toEqual([['echo', 'idle', 0]]);
  });

  it('starts an unpinned server once to pin it, then calls its tools by their safe names', async () => {
    const { h, home, made } = await make('unpinned');
    const heard: string[][] = [];
    h.onListsChanged((_p, kinds) => heard.push(kinds));
    expect(h.listTools()).toEqual([]);
    expect(await h.pinUnpinned()).toBe(true);
    expect(made.get('echo')!.starts).toBe(1);
    const names = h.listTools().map((t) => t.name);
    expect(names).toContain('echo.echo');
    const safe = names.find((n) => n.startsWith('echo.files_read-'))!;
    expect(safe).toMatch(/^echo\.files_read-[0-9a-f]{8}$/);
    expect(heard[0]).toEqual(['tools', 'resources', 'prompts']);
    expect((await readPin(home, 'echo'))?.tools).toHaveLength(2);
    const r = await h.callTool(safe, { text: 'x' });
    expect(r.content).toEqual([{ type: 'text', text: 'x' }]);
    expect(made.get('echo')!.calls.at(-1)!.tool).toBe('files.read');
    expect(h.pinStatus('echo')?.renamed.tools).toEqual([{ name: 'files.read', safe: safe.slice(5) }]);
  });

  it('runs tool:before-call and tool:after-call around its calls: a guard denies, filters rewrite arguments and result', async () => {
    const { h, made } = await make('hooks', true);
    await h.pinUnpinned();
    await expect(h.callTool('echo.echo', { text: 'forbidden' })).rejects.toMatchObject({ code: 'TOOL_DENIED', message: expect.stringContaining('the word is forbidden') });
    expect(made.get('echo')!.calls).toEqual([]);
    const r = await h.callTool('echo.echo', { text: 'shout:hello' });
    expect(made.get('echo')!.calls).toEqual([{ tool: 'echo', args: { text: 'HELLO' } }]);
    expect(r.content).toEqual([{ type: 'text', text: 'HELLO' }, { type: 'text', text: '(filtered by guard)' }]);
  });

  it('passes progress and the abort signal to the server', async () => {
    const { h } = await make('progress');
    await h.pinUnpinned();
    const progress: unknown[] = [];
    await h.callTool('echo.echo', { text: 'a' }, { onProgress: (p) => progress.push(p) });
    expect(progress).toEqual([{ progress: 1, total: 2, message: 'half way' }]);
    const ac = new AbortController();
    ac.abort();
    await expect(h.callTool('echo.echo', { text: 'a' }, { signal: ac.signal })).rejects.toThrow(/cancelled/);
  });

  it('routes resources, resource templates and prompts to the server', async () => {
    const { h } = await make('resources');
    await h.pinUnpinned();
    expect(h.listServerResources().map((r) => r.uri)).toEqual(['echo://motd', 'echo://notes/{id}']);
    expect((await h.readResource('echo://notes/7')).contents[0]).toMatchObject({ text: 'contents of echo://notes/7' });
    await expect(h.readResource('echo://other')).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND' });
    expect(h.listServerPrompts().map((p) => p.name)).toEqual(['greet']);
    expect((await h.getPrompt('echo', 'greet', { who: 'Ada' })).messages[0]!.content).toMatchObject({ text: 'greet {"who":"Ada"}' });
    await expect(h.getPrompt('echo', 'nope')).rejects.toMatchObject({ code: 'PROMPT_NOT_FOUND' });
  });

  it('keeps the pinned tools when the server reports others, and refuses calls to the unpinned ones', async () => {
    const home = join(tmp.dir, 'changed');
    await writePin(home, makePin('echo', '1.0.0', [tool('echo')]));
    const s = standIns({ echo: { ...echoServer, tools: [tool('echo'), tool('steal')] } });
    host = await createHost({ home, plugins: [serverPlugin('echo', home)], options: { serverProcess: s.factory, persistStats: false, log: (e) => logs.push(e) } });
    await host.callTool('echo.echo', { text: 'hi' });
    await host.health('echo');
    expect(host.listTools().map((t) => t.name)).toEqual(['echo.echo']);
    await expect(host.callTool('echo.steal', {})).rejects.toMatchObject({ code: 'TOOL_NOT_PINNED', message: expect.stringContaining('not in the pinned tool list'), hint: expect.stringContaining('pm plugin-tools-accept echo') });
    expect(host.pinStatus('echo')?.changed).toMatchObject({ added: ['steal'], removed: [], modified: [] });
    expect(logs.some((l) => l.plugin === 'echo' && l.level === 'warn' && /tools changed/.test(l.message))).toBe(true);
    await host.close();
    expect((await readPin(home, 'echo'))?.changed?.tools.map((t) => t.name)).toEqual(['echo', 'steal']);
  });

  it('does not serve a server plugin whose pin file is corrupt, and says why', async () => {
    const home = join(tmp.dir, 'corrupt');
    await mkdir(join(home, 'pins'), { recursive: true });
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(home, 'pins', 'echo.json'), '{"version":1}');
    const s = standIns({ echo: echoServer });
    host = await createHost({ home, plugins: [serverPlugin('echo', home)], options: { serverProcess: s.factory, persistStats: false, log: (e) => logs.push(e) } });
    expect(host.plugins()).toEqual([]);
    expect(logs.find((l) => l.plugin === 'echo')?.message).toMatch(/pin file .* not served until/);
  });

  it('reloads a changed server plugin with its pin read again', async () => {
    const { h, home } = await make('reload');
    await h.pinUnpinned();
    await writePin(home, makePin('echo', '1.0.0', [tool('only')]));
    const r = await h.reload([{ ...serverPlugin('echo', home), restartRequestedAt: 'now' }]);
    expect(r.changed).toEqual(['echo']);
    expect(h.listTools().map((t) => t.name)).toEqual(['echo.only']);
  });
});

describe('a real server plugin (test/fixtures/servers/steerable)', () => {
  it('is pinned on its first start; a tool it adds later is flagged, not served, and its list_changed reaches the host', async () => {
    const home = join(tmp.dir, 'real');
    const dir = join(fixturesDir, 'servers', 'steerable');
    const manifest = JSON.parse(readFileSync(join(dir, 'plugin.json'), 'utf8'));
    host = await createHost({
      home,
      plugins: [{ name: 'steerable', kind: 'server', dir, dataDir: join(home, 'data', 'steerable'), manifest, config: {}, enabled: true }],
      options: { persistStats: false, log: (e) => logs.push(e) },
    });
    expect(host.listTools()).toEqual([]);
    expect(await host.pinUnpinned()).toBe(true);
    expect(host.listTools().map((t) => t.tool)).toContain('echo');
    expect(host.listServerPrompts().map((p) => p.name)).toEqual(['greet']);
    const heard: string[][] = [];
    host.onListsChanged((_p, kinds) => heard.push(kinds));
    expect((await host.callTool('steerable.echo', { text: 'hi' })).content).toEqual([{ type: 'text', text: 'hi' }]);
    await host.callTool('steerable.change', { add: 'sneaky' });
    await eventually(() => heard.some((k) => k.includes('tools')), 'the list_changed passed on');
    expect(host.pinStatus('steerable')?.changed?.added).toEqual(['sneaky']);
    expect(host.listTools().map((t) => t.tool)).not.toContain('sneaky');
    await expect(host.callTool('steerable.sneaky', {})).rejects.toMatchObject({ code: 'TOOL_NOT_PINNED' });
    expect((await host.getPrompt('steerable', 'greet', { who: 'Ada' })).messages[0]!.content).toMatchObject({ text: 'Hello, Ada' });
    expect(host.stats().plugins[0]).toMatchObject({ name: 'steerable', state: 'running', starts: 1 });
  });
});
