// pm serve --mcp on stdio, driven by the MCP SDK's real Client over StdioClientTransport,
// against the real host with real plugin processes (fixture plugins installed by the store).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JSONRPCMessageSchema, ToolListChangedNotificationSchema, PromptListChangedNotificationSchema, ResourceListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { connectStdio, homeWithPlugins, type StdioSession } from '../helpers/serve.js';
import { pm, tempDir } from '../helpers/pm.js';

const tmp = await tempDir('pm-serve-');
let home: string;
let s: StdioSession;
const stdoutLog = join(tmp.dir, 'stdout.log');
const text = (r: unknown) => ((r as { content: { text: string }[] }).content).map((c) => c.text);

beforeAll(async () => {
  home = await homeWithPlugins(tmp.dir);
  s = await connectStdio(home, ['--log-level', 'debug'], { stdoutLog });
});
afterAll(async () => {
  await s?.close();
  await tmp.cleanup();
});

describe('pm serve --mcp (stdio)', () => {
  it('initializes and declares tools, resources and prompts with listChanged', () => {
    expect(s.client.getServerVersion()).toMatchObject({ name: 'pm' });
    expect(s.client.getServerCapabilities()).toMatchObject({
      tools: { listChanged: true },
      resources: { listChanged: true },
      prompts: { listChanged: true },
    });
  });

  it('lists every enabled plugin tool as <plugin>__<tool> with its manifest schema', async () => {
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['echo__count', 'echo__crash', 'echo__echo', 'echo__pid', 'echo__slow']);
    const echo = tools.find((t) => t.name === 'echo__echo')!;
    expect(echo.description).toBe('Returns its text');
    expect(echo.title).toBe('Echo');
    expect(echo.annotations).toEqual({ readOnlyHint: true });
    expect(echo.inputSchema).toEqual({
      type: 'object',
      properties: { text: { type: 'string', maxLength: 1000 }, times: { type: 'integer', minimum: 1 } },
      required: ['text'],
      additionalProperties: false,
    });
  });

  it('calls a tool in its plugin process', async () => {
    const r = await s.client.callTool({ name: 'echo__echo', arguments: { text: 'hi', times: 2 } });
    expect(r.isError).toBeFalsy();
    expect(text(r)).toEqual(['hi hi']);
  });

  it('refuses bad arguments with a tool error naming each bad field', async () => {
    const r = await s.client.callTool({ name: 'echo__echo', arguments: { text: 5, times: 0 } });
    expect(r.isError).toBe(true);
    expect(text(r)[0]).toBe("invalid arguments for echo__echo: 'text' must be string; 'times' must be >= 1");
    const missing = await s.client.callTool({ name: 'echo__echo', arguments: {} });
    expect(text(missing)[0]).toBe("invalid arguments for echo__echo: 'text' is required");
  });

  it('answers an unknown tool with an invalid-params error', async () => {
    await expect(s.client.callTool({ name: 'echo__nope', arguments: {} })).rejects.toMatchObject({ code: -32602, message: expect.stringContaining('Unknown tool: echo__nope') });
  });

  it('lets a tool:before-call guard hook block a call', async () => {
    const r = await s.client.callTool({ name: 'echo__echo', arguments: { text: 'forbidden' } });
    expect(r.isError).toBe(true);
    expect(text(r)[0]).toBe('echo__echo was blocked by guard: the word is forbidden');
  });

  it('lets filter hooks rewrite the arguments and the result', async () => {
    const r = await s.client.callTool({ name: 'echo__echo', arguments: { text: 'shout:hello' } });
    expect(text(r)).toEqual(['HELLO', '(filtered by guard)']);
  });

  it('passes progress notifications from the plugin to the client, before the result', async () => {
    const r = await s.client.callTool({ name: 'echo__count', arguments: { n: 3 } }, undefined, { onprogress: () => {} });
    expect(text(r)).toEqual(['counted to 3']);
    // Read from the raw stream: the SDK client drops progress that it processes after the
    // response when both arrive in one chunk (typescript-sdk#2580), which the server cannot prevent.
    const messages = (await readFile(stdoutLog, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const answer = messages.findLastIndex((m) => m.result?.content?.[0]?.text === 'counted to 3');
    const token = messages.slice(0, answer).findLast((m) => m.method === 'notifications/progress')?.params.progressToken;
    const progress = messages.slice(0, answer).filter((m) => m.method === 'notifications/progress' && m.params.progressToken === token).map((m) => m.params);
    expect(progress).toEqual([
      { progressToken: token, progress: 1, total: 3, message: 'step 1' },
      { progressToken: token, progress: 2, total: 3, message: 'step 2' },
      { progressToken: token, progress: 3, total: 3, message: 'step 3' },
    ]);
  });

  it('turns a plugin timeout into a tool error, and the next call works', async () => {
    const r = await s.client.callTool({ name: 'echo__slow', arguments: {} });
    expect(r.isError).toBe(true);
    expect(text(r)[0]).toMatch(/^echo__slow failed: .*(timed out|timeout|did not finish)/i);
    expect(text(await s.client.callTool({ name: 'echo__echo', arguments: { text: 'after timeout' } }))).toEqual(['after timeout']);
  });

  it('turns a plugin crash into a tool error, and the next call works in a new process', async () => {
    const before = text(await s.client.callTool({ name: 'echo__pid', arguments: {} }))[0];
    const r = await s.client.callTool({ name: 'echo__crash', arguments: {} });
    expect(r.isError).toBe(true);
    expect(text(r)[0]).toMatch(/^echo__crash failed: /);
    const after = text(await s.client.callTool({ name: 'echo__pid', arguments: {} }))[0];
    expect(after).toMatch(/^\d+$/);
    expect(after).not.toBe(before);
  });

  it('cancels a call the client aborts and keeps serving', async () => {
    const ac = new AbortController();
    const call = s.client.callTool({ name: 'echo__slow', arguments: {} }, undefined, { signal: ac.signal });
    setTimeout(() => ac.abort('changed my mind'), 50);
    await expect(call).rejects.toThrow();
    expect(text(await s.client.callTool({ name: 'echo__echo', arguments: { text: 'still here' } }))).toEqual(['still here']);
  });

  it('renders a prompt, and refuses one without its required argument, naming it', async () => {
    const { prompts } = await s.client.listPrompts();
    expect(prompts.map((p) => p.name)).toContain('greeter__summarize');
    const r = await s.client.getPrompt({ name: 'greeter__summarize', arguments: { topic: 'MCP', style: 'terse' } });
    expect(r.messages.map((m) => [m.role, (m.content as { text: string }).text])).toEqual([
      ['user', 'You write terse summaries. Keep <tags> & quotes " as they are.'],
      ['user', 'Summarize MCP.'],
    ]);
    await expect(s.client.getPrompt({ name: 'greeter__summarize', arguments: {} })).rejects.toMatchObject({ code: -32602, message: expect.stringContaining("needs the argument 'topic'") });
  });

  it('runs prompt:before-render and prompt:after-render hooks of another plugin around rendering', async () => {
    const r = await s.client.getPrompt({ name: 'greeter__dialogue', arguments: { name: 'anonymous' } });
    expect(r.messages.map((m) => [m.role, (m.content as { text: string }).text])).toEqual([
      ['user', 'My name is Guest.'],
      ['assistant', 'Hello Guest!'],
      ['user', 'What is my name?'],
      ['assistant', '(reviewed by guard)'],
    ]);
  });

  it('lists resources and templates, and reads both through the plugin', async () => {
    expect((await s.client.listResources()).resources).toEqual([{ uri: 'echo://about', name: 'about', description: 'What this plugin is', mimeType: 'text/plain' }]);
    expect((await s.client.listResourceTemplates()).resourceTemplates).toEqual([{ uriTemplate: 'echo://items/{id}', name: 'item', description: 'One item', mimeType: 'application/json' }]);
    expect((await s.client.readResource({ uri: 'echo://about' })).contents).toEqual([{ uri: 'echo://about', mimeType: 'text/plain', text: 'echo plugin' }]);
    expect((await s.client.readResource({ uri: 'echo://items/42' })).contents).toEqual([{ uri: 'echo://items/42', mimeType: 'application/json', text: '{"id":"42"}' }]);
  });

  it('stops a missing resource from answering -32603: a handler that returns null gives -32002 and the URI', async () => {
    await expect(s.client.readResource({ uri: 'echo://items/missing' })).rejects.toMatchObject({ code: -32002, message: 'MCP error -32002: Resource not found: echo://items/missing' });
    await expect(s.client.readResource({ uri: 'nobody://x' })).rejects.toMatchObject({ code: -32002, message: 'MCP error -32002: Resource not found: nobody://x' });
  });

  it('sends list_changed after pm plugin-disable in another process, and lists the rest', async () => {
    const tools = new Promise<void>((r) => s.client.setNotificationHandler(ToolListChangedNotificationSchema, () => r()));
    const resources = new Promise<void>((r) => s.client.setNotificationHandler(ResourceListChangedNotificationSchema, () => r()));
    const disabled = await pm(['plugin-disable', 'echo', '--home', home]);
    expect(disabled.exitCode, disabled.stderr).toBe(0);
    await Promise.all([tools, resources]);
    expect((await s.client.listTools()).tools).toEqual([]);
    expect((await s.client.listResources()).resources).toEqual([]);
    expect((await s.client.listPrompts()).prompts.map((p) => p.name)).toContain('greeter__summarize');

    const prompts = new Promise<void>((r) => s.client.setNotificationHandler(PromptListChangedNotificationSchema, () => r()));
    expect((await pm(['plugin-disable', 'greeter', '--home', home])).exitCode).toBe(0);
    await prompts;
    expect((await s.client.listPrompts()).prompts).toEqual([]);
  });

  it('writes only JSON-RPC messages to stdout, logs to stderr and logs/serve.log, and persists stats on stop', async () => {
    await s.close();
    // The server has stopped when it has written its stats and its last log line.
    await expect.poll(async () => (await readFile(join(home, 'logs', 'serve.log'), 'utf8').catch(() => '')).includes('"msg":"stopped"'), { timeout: 15_000 }).toBe(true);
    const lines = (await readFile(stdoutLog, 'utf8')).split('\n').filter((l) => l !== '');
    expect(lines.length).toBeGreaterThan(20);
    for (const line of lines) expect(JSONRPCMessageSchema.safeParse(JSON.parse(line)).success, line).toBe(true);
    expect(s.stderr()).toContain('echo plugin stdout noise');
    expect(s.stderr()).toContain('pm serve info: serving MCP');
    const stats = JSON.parse(await readFile(join(home, 'stats', 'tools.json'), 'utf8'));
    // echo: 1 call, 2 with bad arguments, 1 blocked, 1 rewritten, 1 after the timeout, 1 after the cancel.
    expect(stats.tools['echo.echo']).toMatchObject({ calls: 7, errors: 3 });
    expect(stats.tools['echo.slow'].errors).toBe(2);
    const hooks = JSON.parse(await readFile(join(home, 'stats', 'hooks.json'), 'utf8'));
    expect(hooks.handlers.find((h: { event: string }) => h.event === 'tool:before-call')).toMatchObject({ plugin: 'guard', denied: 1 });
    // DESIGN §4: audit.log holds tool calls too, one JSON line each, beside the store's lines.
    const audit = (await readFile(join(home, 'logs', 'audit.log'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const calls = audit.filter((e) => e.action === 'tool-call' && e.plugin === 'echo' && e.tool === 'echo');
    expect(calls).toHaveLength(7);
    expect(calls.filter((e) => !e.ok)).toHaveLength(3);
    expect(calls[0]).toMatchObject({ time: expect.any(String), ms: expect.any(Number), user: expect.any(String) });
    expect(audit.some((e) => e.action === 'install')).toBe(true);
  });

  it('pm stats shows the persisted per-tool and per-hook-handler figures', async () => {
    const json = JSON.parse((await pm(['stats', '--json', '--home', home])).stdout);
    expect(json.tools['echo.echo']).toMatchObject({ calls: 7, errors: 3, p50: expect.any(Number), p95: expect.any(Number), p99: expect.any(Number) });
    expect(json.handlers.map((h: { event: string; plugin: string }) => `${h.plugin} ${h.event}`)).toEqual(['guard prompt:after-render', 'guard prompt:before-render', 'guard tool:after-call', 'guard tool:before-call']);
    const human = await pm(['stats', '--home', home]);
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toMatch(/^ {2}echo\.echo +7 +3 +\d/m);
    expect(human.stdout).toMatch(/^ {2}tool:before-call +guard +\d+ +0 +0 +1 /m);
  });
});

describe('pm serve --mcp with an empty store', () => {
  it('says on stderr where it looked and how to add plugins, and still serves', async () => {
    const empty = join(tmp.dir, 'empty-home');
    const e = await connectStdio(empty);
    try {
      expect((await e.client.listTools()).tools).toEqual([]);
      expect(e.stderr()).toContain(`pm serve warn: no enabled plugins in ${empty}: clients will see no tools yet. Add one with pm plugin-install <folder|file.tgz|url> or pm marketplace-install <name> (or pm plugin-enable <name>); pm serve picks it up without a restart`);
    } finally {
      await e.close();
    }
  });
});
