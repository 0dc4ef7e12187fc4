// pm serve --mcp --watch: a linked plugin's edits reach the running server, and installs
// from another pm process update the lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PromptListChangedNotificationSchema, ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { pm, tempDir } from '../helpers/pm.js';
import { connectStdio, servePluginsDir, type StdioSession } from '../helpers/serve.js';

const tmp = await tempDir('pm-serve-watch-');
const home = join(tmp.dir, 'home');
const dev = join(tmp.dir, 'dev', 'echo');
let s: StdioSession;
const text = (r: unknown) => (r as { content: { text: string }[] }).content.map((c) => c.text);

beforeAll(async () => {
  await cp(join(servePluginsDir, 'echo'), dev, { recursive: true });
  const linked = await pm(['plugin-link', dev, '--home', home]);
  expect(linked.exitCode, linked.stderr).toBe(0);
  s = await connectStdio(home, ['--watch']);
});
afterAll(async () => {
  await s?.close();
  await tmp.cleanup();
});

describe('pm serve --mcp --watch', () => {
  it('runs a linked plugin from its development folder', async () => {
    expect(text(await s.client.callTool({ name: 'echo__echo', arguments: { text: 'dev' } }))).toEqual(['dev']);
  });

  it('restarts a linked plugin when its code changes', async () => {
    const file = join(dev, 'index.js');
    await writeFile(file, (await readFile(file, 'utf8')).replace("text: Array(times).fill(text).join(' ')", "text: 'v2:' + text"));
    await expect.poll(async () => text(await s.client.callTool({ name: 'echo__echo', arguments: { text: 'x' } }))[0], { timeout: 20_000, interval: 200 }).toBe('v2:x');
  });

  it('sends tools/list_changed when a linked manifest gains a tool', async () => {
    const changed = new Promise<void>((r) => s.client.setNotificationHandler(ToolListChangedNotificationSchema, () => r()));
    const manifest = JSON.parse(await readFile(join(dev, 'plugin.json'), 'utf8'));
    manifest.contributes.tools.push({ name: 'hello', description: 'Says hello', inputSchema: { type: 'object', properties: {} } });
    const code = (await readFile(join(dev, 'index.js'), 'utf8')).replace('  tools: {\n', "  tools: {\n    async hello() { return 'hello from v3'; },\n");
    await writeFile(join(dev, 'index.js'), code);
    await writeFile(join(dev, 'plugin.json'), JSON.stringify(manifest, null, 2));
    await changed;
    expect((await s.client.listTools()).tools.map((t) => t.name)).toContain('echo__hello');
    await expect.poll(async () => text(await s.client.callTool({ name: 'echo__hello', arguments: {} }))[0], { timeout: 20_000, interval: 200 }).toBe('hello from v3');
  });

  it('sends prompts/list_changed when another process installs a plugin', async () => {
    const changed = new Promise<void>((r) => s.client.setNotificationHandler(PromptListChangedNotificationSchema, () => r()));
    expect((await pm(['plugin-install', join(servePluginsDir, 'greeter'), '--home', home])).exitCode).toBe(0);
    await changed;
    expect((await s.client.listPrompts()).prompts.map((p) => p.name)).toContain('greeter__summarize');
  });

  it('sends prompts/list_changed when another process uninstalls it', async () => {
    const changed = new Promise<void>((r) => s.client.setNotificationHandler(PromptListChangedNotificationSchema, () => r()));
    expect((await pm(['plugin-uninstall', 'greeter', '--home', home])).exitCode).toBe(0);
    await changed;
    expect((await s.client.listPrompts()).prompts).toEqual([]);
  });
});
