// Protocol-layer tests of the MCP service: a real SDK Client over the SDK's InMemoryTransport,
// and a fake host (mock: this file tests the MCP wiring alone; test/e2e/serve-*.test.ts run the
// real host and real plugin processes).
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { McpService } from '../../../../src/host/mcp/server.js';
import type { CallContext, HookOutcome, ServeHost, ToolDescriptor } from '../../../../src/host/mcp/types.js';
import type { PromptSource } from '../../../../src/host/prompts/types.js';
import { PmError } from '../../../../src/core/errors.js';
import { formatToolRef } from '../../../../src/core/tool-ref.js';
import { repoRoot } from '../../../helpers/pm.js';

const greeterDir = join(repoRoot, 'test', 'fixtures', 'serve-plugins', 'greeter');
const greeter = JSON.parse(readFileSync(join(greeterDir, 'plugin.json'), 'utf8'));

function fakeHost() {
  const calls: { id: string; args: unknown }[] = [];
  const dispatched: string[] = [];
  let tools: ToolDescriptor[] = [
    { plugin: 'notes', name: 'add', description: 'Add a note', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false } },
    { plugin: 'notes', name: 'fail', inputSchema: { type: 'object' } },
  ];
  const hooks: Record<string, (v: any) => HookOutcome<any>> = {};
  const host: ServeHost & { calls: typeof calls; dispatched: string[]; hooks: typeof hooks; setTools(t: ToolDescriptor[]): void } = {
    calls,
    dispatched,
    hooks,
    setTools: (t) => { tools = t; },
    tools: () => tools,
    resources: () => [
      { plugin: 'notes', uri: 'notes://index', name: 'index', mimeType: 'text/plain' },
      { plugin: 'notes', uri: 'notes://{id}', name: 'note' },
    ],
    prompts: (): PromptSource[] => greeter.contributes.prompts.map((prompt: any) => ({ plugin: 'greeter', dir: greeterDir, prompt })),
    // Like the real host: hooks run around the plugin, a veto is thrown as TOOL_DENIED.
    async callTool(ref, args, opts) {
      const id = formatToolRef(ref);
      const before = await host.dispatch('tool:before-call', { tool: id, arguments: args }, opts.call);
      if (before.denied) throw new PmError('TOOL_DENIED', 'denied', { data: { plugin: before.denied.by, reason: before.denied.reason } });
      args = before.value.arguments;
      calls.push({ id, args });
      if (id === 'notes.fail') throw new PmError('PLUGIN_TIMEOUT', 'notes timed out after 30000 ms');
      opts.onProgress?.({ progress: 1, total: 1 });
      const result = { content: [{ type: 'text' as const, text: `added ${(args as { text: string }).text}` }] };
      return (await host.dispatch('tool:after-call', result, opts.call)).value;
    },
    async readResource(uri, opts) {
      if (uri === 'notes://none') throw new PmError('RESOURCE_NOT_FOUND', 'no resource matches notes://none');
      return (await host.dispatch('resource:after-read', { contents: [{ uri, text: 'body' }] }, opts.call)).value;
    },
    async dispatch(event, value) {
      dispatched.push(event);
      return hooks[event] ? hooks[event](value) : { value };
    },
    async reload() {},
  };
  return host;
}

async function connect(service: McpService, source?: string) {
  const [a, b] = InMemoryTransport.createLinkedPair();
  await service.createServer(source ? { source } : undefined).connect(a);
  const client = new Client({ name: 't', version: '1' });
  await client.connect(b);
  return client;
}

let host: ReturnType<typeof fakeHost>;
let client: Client;
let service: McpService;
beforeEach(async () => {
  host = fakeHost();
  service = new McpService(host, { version: '1.0.0' });
  client = await connect(service);
});

describe('McpService', () => {
  it('declares tools, resources and prompts with listChanged', () => {
    expect(client.getServerCapabilities()).toMatchObject({ tools: { listChanged: true }, resources: { listChanged: true }, prompts: { listChanged: true } });
    expect(client.getServerVersion()).toMatchObject({ name: 'pm', version: '1.0.0' });
  });

  it('lists tools as <plugin>__<tool> with their schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['notes__add', 'notes__fail']);
    expect(tools[0]).toMatchObject({ description: 'Add a note', inputSchema: { required: ['text'] } });
  });

  it('uses another separator when asked', async () => {
    const c = await connect(new McpService(host, { separator: '-' }));
    expect((await c.listTools()).tools[0].name).toBe('notes-add');
  });

  it('warns about tool names over 64 characters, which many clients refuse', () => {
    const warnings: unknown[] = [];
    host.setTools([{ plugin: 'p'.repeat(40), name: 't'.repeat(30) }]);
    new McpService(host, { log: { error() {}, info() {}, debug() {}, warn: (m: string, d?: unknown) => warnings.push([m, d]), close: async () => {} } });
    expect(warnings).toEqual([['tool names over 64 characters; many clients will refuse them (a shorter --name-separator helps)', { tools: [`${'p'.repeat(40)}__${'t'.repeat(30)}`] }]]);
  });

  it('calls a tool through the host', async () => {
    const r = await client.callTool({ name: 'notes__add', arguments: { text: 'hi' } });
    expect(r).toEqual({ content: [{ type: 'text', text: 'added hi' }] });
    expect(host.dispatched).toEqual(['tool:before-call', 'tool:after-call']);
  });

  it('refuses bad arguments as a tool error naming the field, before the plugin or hooks see them', async () => {
    const r = await client.callTool({ name: 'notes__add', arguments: { text: 5, extra: true } });
    expect(r.isError).toBe(true);
    expect((r.content as any)[0].text).toBe("invalid arguments for notes__add: 'extra' is not an accepted argument; 'text' must be string");
    expect(host.calls).toEqual([]);
    expect(host.dispatched).toEqual([]);
  });

  it('names a missing required field', async () => {
    const r = await client.callTool({ name: 'notes__add', arguments: {} });
    expect((r.content as any)[0].text).toBe("invalid arguments for notes__add: 'text' is required");
  });

  it('answers an unknown tool with a protocol error', async () => {
    await expect(client.callTool({ name: 'notes__nope', arguments: {} })).rejects.toThrow(/Unknown tool: notes__nope/);
  });

  it('stops the doubled "MCP error -32602: MCP error -32602:" prefix: the client reads one', async () => {
    const err = await client.callTool({ name: 'notes__nope', arguments: {} }).catch((e: Error & { code?: number }) => e);
    expect(err).toMatchObject({ code: -32602, message: 'MCP error -32602: Unknown tool: notes__nope; tools/list shows the tools pm serves' });
    expect((err as Error).message.match(/MCP error/g)).toHaveLength(1);
  });

  it('stops an invalid pagination cursor from being ignored: every list answers -32602', async () => {
    const cursor = 'not-a-cursor';
    for (const [method, send] of [
      ['tools/list', () => client.listTools({ cursor })],
      ['resources/list', () => client.listResources({ cursor })],
      ['resources/templates/list', () => client.listResourceTemplates({ cursor })],
      ['prompts/list', () => client.listPrompts({ cursor })],
    ] as const) {
      await expect(send()).rejects.toMatchObject({ code: -32602, message: `MCP error -32602: Invalid cursor for ${method}: pm returns the whole list in one page and gives out no cursors; send ${method} without a cursor` });
    }
    // Without a cursor the lists are served as before.
    expect((await client.listTools()).tools).toHaveLength(2);
  });

  it('blocks a call a guard denies, and the plugin never sees it', async () => {
    host.hooks['tool:before-call'] = (value) => ({ value, denied: { reason: 'no notes today', by: 'policy' } });
    const r = await client.callTool({ name: 'notes__add', arguments: { text: 'hi' } });
    expect(r).toEqual({ content: [{ type: 'text', text: 'notes__add was blocked by policy: no notes today' }], isError: true });
    expect(host.calls).toEqual([]);
  });

  it('lets filters rewrite the arguments and the result', async () => {
    host.hooks['tool:before-call'] = (v) => ({ value: { ...v, arguments: { text: v.arguments.text.toUpperCase() } } });
    host.hooks['tool:after-call'] = (v) => ({ value: { content: [...v.content, { type: 'text', text: 'filtered' }] } });
    const r = await client.callTool({ name: 'notes__add', arguments: { text: 'hi' } });
    expect(host.calls).toEqual([{ id: 'notes.add', args: { text: 'HI' } }]);
    expect(r.content).toEqual([{ type: 'text', text: 'added HI' }, { type: 'text', text: 'filtered' }]);
  });

  it('turns a plugin failure into a tool error and keeps serving', async () => {
    const r = await client.callTool({ name: 'notes__fail', arguments: {} });
    expect(r).toEqual({ content: [{ type: 'text', text: 'notes__fail failed: notes timed out after 30000 ms' }], isError: true });
    expect((await client.callTool({ name: 'notes__add', arguments: { text: 'again' } })).isError).toBeUndefined();
  });

  it('passes progress notifications through to the caller', async () => {
    const seen: unknown[] = [];
    await client.callTool({ name: 'notes__add', arguments: { text: 'p' } }, undefined, { onprogress: (p) => seen.push(p) });
    expect(seen).toEqual([{ progress: 1, total: 1 }]);
  });

  it('separates resources from resource templates and reads through resource:after-read', async () => {
    expect((await client.listResources()).resources).toEqual([{ uri: 'notes://index', name: 'index', mimeType: 'text/plain' }]);
    expect((await client.listResourceTemplates()).resourceTemplates).toEqual([{ uriTemplate: 'notes://{id}', name: 'note' }]);
    host.hooks['resource:after-read'] = (v) => ({ value: { contents: v.contents.map((c: any) => ({ ...c, text: c.text + '!' })) } });
    expect(await client.readResource({ uri: 'notes://1' })).toEqual({ contents: [{ uri: 'notes://1', text: 'body!' }] });
  });

  it('answers an unknown resource with the resource-not-found error', async () => {
    await expect(client.readResource({ uri: 'notes://none' })).rejects.toMatchObject({ code: -32002 });
  });

  it('lists prompts and renders one, giving a system message as a user message', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts[0]).toEqual({
      name: 'greeter__summarize',
      description: 'Summarize a topic',
      arguments: [{ name: 'topic', description: 'what to summarize', required: true }, { name: 'style', description: 'how to write it', required: false }],
    });
    const r = await client.getPrompt({ name: 'greeter__summarize', arguments: { topic: 'MCP' } });
    expect(r.messages).toEqual([
      { role: 'user', content: { type: 'text', text: 'You write plain summaries. Keep <tags> & quotes " as they are.' } },
      { role: 'user', content: { type: 'text', text: 'Summarize MCP.' } },
    ]);
    expect(host.dispatched).toEqual(['prompt:before-render', 'prompt:after-render']);
  });

  it('refuses prompts/get without a required argument, naming it', async () => {
    await expect(client.getPrompt({ name: 'greeter__summarize', arguments: {} })).rejects.toThrow(/needs the argument 'topic'/);
  });

  it('stops prompts/get errors from naming the internal id or a CLI flag: wire name and what the client can send', async () => {
    const missing = await client.getPrompt({ name: 'greeter__summarize', arguments: {} }).catch((e: Error) => e);
    expect(missing).toMatchObject({ code: -32602, message: "MCP error -32602: prompt greeter__summarize needs the argument 'topic' (what to summarize): send it in the arguments of prompts/get" });
    const unknown = await client.getPrompt({ name: 'greeter__summarize', arguments: { topic: 'x', tone: 'dry' } }).catch((e: Error) => e);
    expect(unknown).toMatchObject({ code: -32602, message: "MCP error -32602: prompt greeter__summarize has no argument 'tone': its arguments are topic, style" });
    const none = await client.getPrompt({ name: 'greeter__nope', arguments: {} }).catch((e: Error) => e);
    expect(none).toMatchObject({ code: -32602, message: 'MCP error -32602: Unknown prompt: greeter__nope; prompts/list shows the prompts pm serves' });
    for (const e of [missing, unknown, none]) expect((e as Error).message).not.toMatch(/greeter\.summarize|--arg|pm prompt/);
  });

  it('answers a broken prompt template with an internal error the client can act on, without the internal id', async () => {
    const broken: PromptSource = { plugin: 'greeter', dir: greeterDir, prompt: { name: 'broken', messages: [{ role: 'user', template: 'prompts/missing.hbs' }] } };
    host.prompts = () => [broken];
    const c = await connect(new McpService(host));
    await expect(c.getPrompt({ name: 'greeter__broken', arguments: {} })).rejects.toMatchObject({
      code: -32603,
      message: "MCP error -32603: prompt greeter__broken cannot be rendered: the plugin greeter has a broken template; try another prompt or report it to the plugin's author",
    });
  });

  it('stops a missing resource from answering -32603: a plugin that finds nothing gives -32002', async () => {
    host.readResource = async (uri) => {
      throw new PmError('RESOURCE_NOT_FOUND', `plugin notes has no resource ${uri}`);
    };
    await expect(client.readResource({ uri: 'notes://7' })).rejects.toMatchObject({ code: -32002, message: 'MCP error -32002: Resource not found: notes://7' });
    host.readResource = async () => {
      throw new PmError('PLUGIN_ERROR', 'notes: disk on fire');
    };
    await expect(client.readResource({ uri: 'notes://7' })).rejects.toMatchObject({ code: -32603, message: 'MCP error -32603: reading notes://7 failed: notes: disk on fire' });
  });

  it('sends tools/list_changed when a reload changes the tools, and serves the new list', async () => {
    const changed = new Promise<void>((resolve) => client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()));
    host.setTools([{ plugin: 'other', name: 'x' }]);
    expect(await service.refresh()).toEqual({ tools: true, resources: false, prompts: false });
    await changed;
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['other__x']);
  });
});

describe('McpService: one CallContext per request', () => {
  it('hands the host, the hooks and the call record the same context: transport, session, client, request id, progress token', async () => {
    const seen: { where: string; call?: CallContext }[] = [];
    host.callTool = async (_ref, _args, o) => {
      seen.push({ where: 'callTool', call: o.call });
      await host.dispatch('tool:after-call', {}, o.call);
      return { content: [] };
    };
    host.dispatch = async (_event, value, call) => (seen.push({ where: 'dispatch', call }), { value });
    host.recordCall = (ref, _ms, ok, call) => seen.push({ where: `record ${formatToolRef(ref)} ${ok}`, call });
    const c = await connect(new McpService(host), 'stdio');
    await c.callTool({ name: 'notes__add', arguments: { text: 'a' }, _meta: { progressToken: 'tok-1' } });
    await c.callTool({ name: 'notes__add', arguments: { text: 'b' } });
    expect(seen.map((s) => s.where)).toEqual(['callTool', 'dispatch', 'record notes.add true', 'callTool', 'dispatch', 'record notes.add true']);
    const [first, , , second] = seen.map((s) => s.call!);
    expect(first).toMatchObject({ transport: 'stdio', sessionId: expect.any(String), client: { name: 't', version: '1' }, requestId: expect.any(Number), progressToken: 'tok-1' });
    expect(first.signal).toBeInstanceOf(AbortSignal);
    // One context object per request, passed down unchanged.
    expect(seen[1]!.call).toBe(first);
    expect(seen[2]!.call).toBe(first);
    expect(second.sessionId).toBe(first.sessionId);
    expect(second.requestId).not.toBe(first.requestId);
    expect(second).not.toHaveProperty('progressToken');
    // Another connection is another session.
    const other = await connect(new McpService(host), 'stdio');
    await other.callTool({ name: 'notes__add', arguments: { text: 'c' } });
    expect(seen.at(-1)!.call!.sessionId).not.toBe(first.sessionId);
  });

  it('aborts the context signal when the client cancels the request (notifications/cancelled)', async () => {
    let signal: AbortSignal | undefined;
    host.callTool = (_ref, _args, o) => new Promise((_resolve, reject) => {
      signal = o.call.signal;
      signal!.addEventListener('abort', () => reject(new PmError('CANCELLED', 'cancelled')));
    });
    const ac = new AbortController();
    const pending = client.callTool({ name: 'notes__add', arguments: { text: 'a' } }, undefined, { signal: ac.signal });
    await vi.waitFor(() => expect(signal).toBeDefined());
    ac.abort('user stopped it');
    await expect(pending).rejects.toThrow();
    await vi.waitFor(() => expect(signal!.aborted).toBe(true));
  });
});

describe('McpService: server plugins', () => {
  function serverHost() {
    let listener: ((plugin: string, kinds: ('tools' | 'resources' | 'prompts')[]) => void) | undefined;
    let resources = [{ plugin: 'weather', uri: 'weather://now', name: 'now', server: true }];
    const got: unknown[] = [];
    const h: ServeHost & { fire(kinds: ('tools' | 'resources' | 'prompts')[]): void; setResources(r: typeof resources): void; got: unknown[] } = {
      ...fakeHost(),
      got,
      resources: () => resources,
      setResources: (r) => { resources = r; },
      serverPrompts: () => [{ plugin: 'weather', name: 'brief', prompt: { name: 'brief', description: 'A brief', arguments: [{ name: 'city', required: true }] } }],
      getServerPrompt: async (plugin, name, args) => {
        got.push({ plugin, name, args });
        return { messages: [{ role: 'user', content: { type: 'text', text: `brief for ${args.city}` } }] };
      },
      onListsChanged: (l) => { listener = l; },
      fire: (kinds) => listener?.('weather', kinds),
    };
    return h;
  }

  it('names a server plugin\'s resources <plugin>__<name> and proxies its prompts after prompt:before-render', async () => {
    const h = serverHost();
    const c = await connect(new McpService(h));
    expect((await c.listResources()).resources).toEqual([{ uri: 'weather://now', name: 'weather__now' }]);
    const { prompts } = await c.listPrompts();
    expect(prompts.find((p) => p.name === 'weather__brief')).toMatchObject({ description: 'A brief', arguments: [{ name: 'city', required: true }] });
    const r = await c.getPrompt({ name: 'weather__brief', arguments: { city: 'Oslo' } });
    expect(r.messages[0]!.content).toEqual({ type: 'text', text: 'brief for Oslo' });
    expect(h.got).toEqual([{ plugin: 'weather', name: 'brief', args: { city: 'Oslo' } }]);
    expect((h as unknown as { dispatched: string[] }).dispatched).toContain('prompt:before-render');
  });

  it('relays a server plugin\'s resources/list_changed and prompts/list_changed to the client after rebuilding the catalog', async () => {
    const h = serverHost();
    const c = await connect(new McpService(h));
    const heard: string[] = [];
    const { ResourceListChangedNotificationSchema, PromptListChangedNotificationSchema } = await import('@modelcontextprotocol/sdk/types.js');
    c.setNotificationHandler(ResourceListChangedNotificationSchema, (n) => void heard.push(n.method));
    c.setNotificationHandler(PromptListChangedNotificationSchema, (n) => void heard.push(n.method));
    h.setResources([{ plugin: 'weather', uri: 'weather://later', name: 'later', server: true }]);
    h.fire(['resources']);
    await vi.waitFor(() => expect(heard).toEqual(['notifications/resources/list_changed']));
    expect((await c.listResources()).resources.map((r) => r.name)).toEqual(['weather__later']);
    // A list the server says changed is relayed even when what pm serves of it stays the same.
    h.fire(['prompts']);
    await vi.waitFor(() => expect(heard).toContain('notifications/prompts/list_changed'));
  });
});
