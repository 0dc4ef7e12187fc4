import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ProgressNotificationSchema, ResourceListChangedNotificationSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { eventually, fixturesDir } from '../helpers/host-plugins.js';
import { pm, tempDir } from '../helpers/pm.js';
import { announceSkip, python3Missing } from '../helpers/python.js';
import { pythonNotesDir } from '../helpers/server-fixtures.js';
import { connectStdio, servePluginsDir, type StdioSession } from '../helpers/serve.js';

// A real stdio MCP server (test/fixtures/servers/steerable) installed as a server plugin and served
// through the real `pm serve --mcp` to the SDK's Client: pinning, list_changed, hooks, acceptance.
announceSkip('resources and prompts of the Python server through pm serve', python3Missing);
const tmp = await tempDir('pm-e2e-serve-servers-');
const home = join(tmp.dir, 'home');
let session: StdioSession | undefined;
const run = (...args: string[]) => pm([...args, '--home', home]);
const pinFile = join(home, 'pins', 'steerable.json');

beforeAll(async () => {
  expect((await run('plugin-install', join(fixturesDir, 'servers', 'steerable'))).exitCode).toBe(0);
  // The same server under the name "echo", so the guard fixture's match (echo.echo) applies to it.
  const echo = join(tmp.dir, 'echo');
  await cp(join(fixturesDir, 'servers', 'steerable'), echo, { recursive: true });
  const m = JSON.parse(await readFile(join(echo, 'plugin.json'), 'utf8'));
  await writeFile(join(echo, 'plugin.json'), JSON.stringify({ ...m, name: 'echo' }));
  for (const dir of [echo, join(servePluginsDir, 'guard')]) expect((await run('plugin-install', dir)).exitCode).toBe(0);
}, 60_000);
afterAll(async () => {
  await session?.close();
  await tmp.cleanup();
});

describe('server plugins through pm serve --mcp', () => {
  it('pins the tools on the first tools/list, and serves them with the server prompts', async () => {
    session = await connectStdio(home);
    const { tools } = await session.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['steerable__echo', 'steerable__change', 'echo__echo']));
    const pin = JSON.parse(await readFile(pinFile, 'utf8'));
    expect(pin).toMatchObject({ version: 1, plugin: 'steerable', hash: expect.stringMatching(/^sha256-/) });
    const { prompts } = await session.client.listPrompts();
    expect(prompts.map((p) => p.name)).toContain('steerable__greet');
    const got = await session.client.getPrompt({ name: 'steerable__greet', arguments: { who: 'Ada' } });
    expect(got.messages[0]!.content).toMatchObject({ text: 'Hello, Ada' });
    const r = await session.client.callTool({ name: 'steerable__echo', arguments: { text: 'hi' } });
    expect(r.content).toEqual([{ type: 'text', text: 'hi' }]);
  });

  it('runs a guard plugin and filters around a proxied tool', async () => {
    const denied = await session!.client.callTool({ name: 'echo__echo', arguments: { text: 'forbidden' } });
    expect(denied.isError).toBe(true);
    expect(denied.content).toEqual([{ type: 'text', text: 'echo__echo was blocked by guard: the word is forbidden' }]);
    const shouted = await session!.client.callTool({ name: 'echo__echo', arguments: { text: 'shout:hello' } });
    expect(shouted.content).toEqual([{ type: 'text', text: 'HELLO' }, { type: 'text', text: '(filtered by guard)' }]);
  });

  it('passes progress notifications to the client and its cancellation to the server', async () => {
    // Every notifications/progress the client receives, whether or not the SDK's onprogress still
    // waits for it (the SDK drops progress read in one chunk with its response: a client-side race).
    const progress: unknown[] = [];
    let arrived: (() => void) | undefined;
    session!.client.setNotificationHandler(ProgressNotificationSchema, (n) => {
      if (n.params.progress === 0) arrived?.();
      else progress.push(n.params);
    });
    const r = await session!.client.callTool({ name: 'steerable__progress', arguments: {} }, undefined, { onprogress: () => {} });
    expect(r.content).toEqual([{ type: 'text', text: 'done' }]);
    await eventually(() => progress.length === 3, 'three progress notifications');
    expect(progress).toEqual([1, 2, 3].map((i) => ({ progressToken: expect.anything(), progress: i, total: 3, message: `step ${i}` })));
    const ac = new AbortController();
    // The server sends progress 0 when the request arrived: cancel then, not after a guessed delay.
    arrived = () => ac.abort('enough');
    const waiting = session!.client.callTool({ name: 'steerable__wait', arguments: {} }, undefined, { signal: ac.signal, onprogress: () => {} }).catch((err: Error) => err);
    expect(String(await waiting)).toMatch(/enough|abort/i);
    const cancelled = await eventually(async () => {
      const c = await session!.client.callTool({ name: 'steerable__cancelled', arguments: {} });
      const ids = JSON.parse((c.content as { text: string }[])[0]!.text) as unknown[];
      return ids.length ? ids : undefined;
    }, 'the server to hear notifications/cancelled');
    expect(cancelled).toHaveLength(1);
  });

  it.skipIf(python3Missing)('lists a declared-tools server\'s resources and prompts as <plugin>__<name> once it started, and routes them to it (python-notes)', async () => {
    expect((await run('plugin-install', pythonNotesDir)).exitCode).toBe(0);
    await eventually(async () => (await session!.client.listTools()).tools.some((t) => t.name === 'python-notes__add'), 'python-notes served after the reload');
    // Its tools are declared: listing did not start it, so its resources are not known yet.
    expect((await session!.client.listResources()).resources.some((r) => r.name.startsWith('python-notes__'))).toBe(false);
    const heard: string[] = [];
    session!.client.setNotificationHandler(ResourceListChangedNotificationSchema, (n) => void heard.push(n.method));
    const sum = await session!.client.callTool({ name: 'python-notes__add', arguments: { a: 2, b: 3 } });
    expect(sum.isError).toBeFalsy();
    await eventually(() => heard.length > 0, 'resources/list_changed after its first start');
    const { resources } = await session!.client.listResources();
    expect(resources).toContainEqual(expect.objectContaining({ uri: 'notes://readme', name: 'python-notes__readme' }));
    const read = await session!.client.readResource({ uri: 'notes://readme' });
    expect(read.contents[0]).toMatchObject({ uri: 'notes://readme', text: 'Notes served by Python.' });
    const { prompts } = await session!.client.listPrompts();
    expect(prompts.map((p) => p.name)).toContain('python-notes__summarize');
  });

  it('relays the server\'s list_changed, keeps the pinned tools, and flags the change', async () => {
    const heard: string[] = [];
    session!.client.setNotificationHandler(ToolListChangedNotificationSchema, (n) => void heard.push(n.method));
    await session!.client.callTool({ name: 'steerable__change', arguments: { add: 'sneaky' } });
    await eventually(() => heard.length > 0, 'notifications/tools/list_changed at the client');
    const { tools } = await session!.client.listTools();
    expect(tools.map((t) => t.name)).not.toContain('steerable__sneaky');
    const r = await session!.client.callTool({ name: 'steerable__sneaky', arguments: {} }).catch((err: Error) => err);
    expect(String((r as Error).message ?? JSON.stringify(r))).toMatch(/Unknown tool: steerable__sneaky/);
    await eventually(async () => JSON.parse(await readFile(pinFile, 'utf8')).changed, 'the change recorded in the pin file');
    const info = await run('plugin-info', 'steerable', '--json');
    expect(JSON.parse(info.stdout).pin).toMatchObject({ source: 'recorded', toolsChanged: true, changed: { added: ['sneaky'], removed: [], modified: [] } });
    expect((await run('plugin-info', 'steerable')).stdout).toMatch(/TOOLS CHANGED .*added sneaky \(review: pm plugin-tools-accept steerable\)/);
  });

  it('refuses plugin-tools-accept without a terminal and without --yes (exit 2), and changes nothing', async () => {
    const before = await readFile(pinFile, 'utf8');
    const r = await run('plugin-tools-accept', 'steerable');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: plugin-tools-accept needs confirmation; nothing was changed');
    expect(r.stderr).toContain("hint: review the difference with 'pm plugin-tools-accept steerable --dry-run', then run again with --yes");
    expect(await readFile(pinFile, 'utf8')).toBe(before);
    const dry = await run('plugin-tools-accept', 'steerable', '--dry-run', '--json');
    expect(dry.exitCode).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ plugin: 'steerable', diff: { added: ['sneaky'] }, added: [{ name: 'sneaky', description: 'a tool added later' }] });
    expect(await readFile(pinFile, 'utf8')).toBe(before);
  });

  it('adopts the new list with --yes; the running pm serve restarts the plugin and serves it', async () => {
    const heard: string[] = [];
    session!.client.setNotificationHandler(ToolListChangedNotificationSchema, (n) => void heard.push(n.method));
    const r = await run('plugin-tools-accept', 'steerable', '--yes');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('  + sneaky — a tool added later');
    expect(r.stdout).toMatch(/Accepted: steerable now serves \d+ pinned tools \(sha256-/);
    const pin = JSON.parse(await readFile(pinFile, 'utf8'));
    expect(pin.changed).toBeUndefined();
    expect(pin.tools.map((t: { name: string }) => t.name)).toContain('sneaky');
    await eventually(() => heard.length > 0, 'the list_changed of the restarted plugin');
    const { tools } = await session!.client.listTools();
    expect(tools.map((t) => t.name)).toContain('steerable__sneaky');
    expect(await readdir(join(home, 'pins'))).toEqual(expect.arrayContaining(['echo.json', 'steerable.json']));
  });

  it('refuses a second accept (TOOLS_NOT_CHANGED), a module plugin and an unknown name, exit 1/2', async () => {
    const again = await run('plugin-tools-accept', 'steerable', '--yes');
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain("error: steerable's server reported its pinned tools at its last start; there is no change to accept");
    const mod = await run('plugin-tools-accept', 'guard', '--yes');
    expect(mod.exitCode).toBe(2);
    expect(mod.stderr).toContain('error: guard is a module plugin');
    const none = await run('plugin-tools-accept', 'nope', '--yes');
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain('nope');
  });
});

describe('after pm serve stops', () => {
  it('pm stats counts the server plugins\' calls and the audit log has them', async () => {
    await session?.close();
    session = undefined;
    const stats = await eventually(async () => {
      const r = await run('stats', '--json');
      return r.exitCode === 0 && r.stdout.includes('steerable.echo') ? r.stdout : undefined;
    }, 'the stats of the stopped serve');
    expect(stats).toContain('echo.echo');
    const audit = await readFile(join(home, 'logs', 'audit.log'), 'utf8');
    expect(audit).toMatch(/"action":"tool-call","plugin":"steerable","tool":"echo","ok":true/);
  });
});
