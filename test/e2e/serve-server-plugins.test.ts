import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { eventually, fixturesDir } from '../helpers/host-plugins.js';
import { pm, repoRoot, tempDir } from '../helpers/pm.js';
import { connectStdio, servePluginsDir, type StdioSession } from '../helpers/serve.js';

// A real stdio MCP server (test/fixtures/servers/steerable) installed as a server plugin and served
// through the real `pm serve --mcp` to the SDK's Client: pinning, list_changed, hooks, acceptance.
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
    const progress: unknown[] = [];
    const r = await session!.client.callTool({ name: 'steerable__progress', arguments: {} }, undefined, { onprogress: (p) => void progress.push(p) });
    expect(r.content).toEqual([{ type: 'text', text: 'done' }]);
    expect(progress).toEqual([1, 2, 3].map((i) => ({ progress: i, total: 3, message: `step ${i}` })));
    const ac = new AbortController();
    // The server sends progress 0 when the request arrived: cancel then, not after a guessed delay.
    const waiting = session!.client.callTool({ name: 'steerable__wait', arguments: {} }, undefined, { signal: ac.signal, onprogress: () => ac.abort('enough') }).catch((err: Error) => err);
    expect(String(await waiting)).toMatch(/enough|abort/i);
    const cancelled = await eventually(async () => {
      const c = await session!.client.callTool({ name: 'steerable__cancelled', arguments: {} });
      const ids = JSON.parse((c.content as { text: string }[])[0]!.text) as unknown[];
      return ids.length ? ids : undefined;
    }, 'the server to hear notifications/cancelled');
    expect(cancelled).toHaveLength(1);
  });

  it('serves a real server\'s resources, templates and prompts under <plugin>__<name> (server-everything)', async () => {
    const everything = join(tmp.dir, 'everything');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(everything, { recursive: true });
    const entry = join(repoRoot, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
    await writeFile(join(everything, 'plugin.json'), JSON.stringify({ name: 'everything', version: '1.0.0', description: 'server-everything', license: 'MIT', server: { command: process.execPath, args: [entry, 'stdio'] } }));
    expect((await run('plugin-install', everything)).exitCode).toBe(0);
    await eventually(async () => (await session!.client.listTools()).tools.some((t) => t.name === 'everything__echo'), 'everything pinned after the reload');
    const { resources } = await session!.client.listResources();
    const mine = resources.filter((r) => r.name.startsWith('everything__'));
    expect(mine.length).toBeGreaterThan(0);
    const read = await session!.client.readResource({ uri: mine[0]!.uri });
    expect(read.contents[0]).toMatchObject({ uri: mine[0]!.uri });
    const { resourceTemplates } = await session!.client.listResourceTemplates();
    expect(resourceTemplates.some((t) => t.name.startsWith('everything__'))).toBe(true);
    const { prompts } = await session!.client.listPrompts();
    expect(prompts.some((p) => p.name.startsWith('everything__'))).toBe(true);
    const echo = await session!.client.callTool({ name: 'everything__echo', arguments: { message: 'hi' } });
    expect(echo.content).toEqual([{ type: 'text', text: 'Echo: hi' }]);
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
    expect(await readdir(join(home, 'pins'))).toEqual(['echo.json', 'everything.json', 'steerable.json']);
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
