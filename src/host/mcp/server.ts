import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  type GetPromptResult,
} from '@modelcontextprotocol/sdk/types.js';
import { randomUUID } from 'node:crypto';
import { isPmError } from '../../core/errors.js';
import { formatToolRef, type ToolRef } from '../../core/tool-ref.js';
import { renderPrompt, TemplateCache } from '../prompts/render.js';
import type { PromptSource, RenderedMessage } from '../prompts/types.js';
import { ArgumentValidator, problemsText } from './arguments.js';
import { Catalog } from './catalog.js';
import { silentLogger, type Logger } from './logger.js';
import { instrumentServer, requestTrace } from '../telemetry/server-requests.js';
import type { CallContext, ConnectionInfo, ResourceResult, ServeHost, ToolResult } from './types.js';
import { WireCode, WireError } from './wire-error.js';

export interface McpServiceOptions {
  /** Between plugin and tool names on the wire (default `__`). */
  separator?: string;
  name?: string;
  version?: string;
  log?: Logger;
}

/** Plugin error codes that mean "no such resource" (a handler that found nothing, or a missing file). */
const RESOURCE_MISSING = new Set(['RESOURCE_NOT_FOUND', 'ENOENT']);

/** pm answers every list in one page, so any cursor a client sends is not one pm gave out. */
function noCursor(params: { cursor?: unknown } | undefined, method: string): void {
  if (params?.cursor !== undefined) {
    throw new WireError(WireCode.invalidParams, `Invalid cursor for ${method}: pm returns the whole list in one page and gives out no cursors; send ${method} without a cursor`, { cursor: params.cursor });
  }
}

function errorText(err: unknown): string {
  if (isPmError(err)) return err.hint ? `${err.message} (${err.hint})` : err.message;
  return err instanceof Error ? err.message : String(err);
}

/** A prompts/get failure as the client should read it: its own name for the prompt, and what it can do. */
function promptError(wire: string, source: PromptSource, err: unknown, log: Logger): WireError {
  const code = isPmError(err) ? err.code : '';
  const argument = String((isPmError(err) ? (err.data as { argument?: unknown } | undefined)?.argument : undefined) ?? '');
  const declared = source.prompt.arguments ?? [];
  if (code === 'PROMPT_ARGUMENT_MISSING') {
    const about = declared.find((a) => a.name === argument)?.description;
    return new WireError(WireCode.invalidParams, `prompt ${wire} needs the argument '${argument}'${about ? ` (${about})` : ''}: send it in the arguments of prompts/get`, { prompt: wire, argument });
  }
  if (code === 'PROMPT_ARGUMENT_UNKNOWN') {
    const names = declared.map((a) => a.name);
    return new WireError(WireCode.invalidParams, `prompt ${wire} has no argument '${argument}': ${names.length ? `its arguments are ${names.join(', ')}` : 'it takes no arguments'}`, { prompt: wire, argument });
  }
  // The plugin's templates are broken: nothing the client sends can fix that.
  log.warn('prompt render failed', { prompt: `${source.plugin}.${source.prompt.name}`, error: errorText(err) });
  return new WireError(WireCode.internal, `prompt ${wire} cannot be rendered: the plugin ${source.plugin} has a broken template; try another prompt or report it to the plugin's author`, { prompt: wire });
}

function toolError(text: string): ToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

/**
 * The aggregated MCP server: one `Server` per connection (stdio has one, HTTP one per
 * session), all answering from one catalog built from the host's manifests.
 */
export class McpService {
  readonly catalog: Catalog;
  private readonly validator = new ArgumentValidator();
  private readonly templates = new TemplateCache();
  private readonly servers = new Set<Server>();
  private readonly log: Logger;

  constructor(private readonly host: ServeHost, private readonly opts: McpServiceOptions = {}) {
    this.catalog = new Catalog(opts.separator ?? '__');
    this.log = opts.log ?? silentLogger;
    this.catalog.rebuild(host);
    this.warnLongNames();
    // A server plugin's list_changed (or a pin just recorded) reaches the clients after the rebuild.
    host.onListsChanged?.((plugin, kinds) => void this.relist(kinds).then((changed) => this.log.info('server plugin lists changed', { plugin, ...changed })));
  }

  /** LLM APIs behind many clients refuse tool names over 64 characters; say which ones are. */
  private warnLongNames(): void {
    const long = this.catalog.toolList.filter((t) => t.name.length > 64).map((t) => t.name);
    if (long.length) this.log.warn('tool names over 64 characters; many clients will refuse them (a shorter --name-separator helps)', { tools: long });
  }

  /** Number of connected servers (HTTP sessions, or 1 on stdio). */
  get connections(): number {
    return this.servers.size;
  }

  /** Re-reads the host and tells every connected client which lists changed. */
  async refresh(): Promise<{ tools: boolean; resources: boolean; prompts: boolean }> {
    await this.host.reload();
    const changed = await this.relist([]);
    if (changed.tools || changed.resources || changed.prompts) this.log.info('plugin lists changed', changed);
    return changed;
  }

  /** Rebuilds the catalog and sends list_changed for the lists that changed, and for those `reported` by a server plugin. */
  private async relist(reported: readonly ('tools' | 'resources' | 'prompts')[]): Promise<{ tools: boolean; resources: boolean; prompts: boolean }> {
    this.validator.clear();
    this.templates.clear();
    const rebuilt = this.catalog.rebuild(this.host);
    const changed = { tools: rebuilt.tools || reported.includes('tools'), resources: rebuilt.resources || reported.includes('resources'), prompts: rebuilt.prompts || reported.includes('prompts') };
    if (rebuilt.tools) this.warnLongNames();
    const sends: Promise<void>[] = [];
    for (const s of this.servers) {
      if (changed.tools) sends.push(s.sendToolListChanged());
      if (changed.resources) sends.push(s.sendResourceListChanged());
      if (changed.prompts) sends.push(s.sendPromptListChanged());
    }
    // A client that went away must not stop the others from hearing about the change.
    await Promise.allSettled(sends);
    return changed;
  }

  /** A new SDK Server wired to this service; it is tracked until its transport closes. */
  createServer(conn: ConnectionInfo = { source: 'mcp' }): Server {
    const server = new Server(
      { name: this.opts.name ?? 'pm', version: this.opts.version ?? '0.0.0' },
      {
        capabilities: {
          tools: { listChanged: true },
          resources: { listChanged: true },
          prompts: { listChanged: true },
        },
        instructions: 'Tools, resources and prompts of the plugins enabled in pm. Tool names are <plugin>' + this.catalog.separator + '<tool>.',
      },
    );
    const c = this.catalog;
    // Transports without sessions (stdio) get one id per connection, so audit lines and hooks can tell connections apart.
    let ownSession: string | undefined;
    const sessionOf = (extra: { sessionId?: string }) => extra.sessionId ?? conn.sessionId ?? (ownSession ??= randomUUID());
    const callOf = (extra: { sessionId?: string; requestId: string | number; signal: AbortSignal; _meta?: { progressToken?: string | number } }): CallContext => {
      const client = server.getClientVersion();
      const token = extra._meta?.progressToken;
      const trace = requestTrace(extra);
      return {
        transport: conn.source,
        sessionId: sessionOf(extra),
        ...(client ? { client: client.version === undefined ? { name: client.name } : { name: client.name, version: client.version } } : {}),
        requestId: extra.requestId,
        ...(token !== undefined ? { progressToken: token } : {}),
        signal: extra.signal,
        ...(trace !== undefined ? { trace } : {}),
      };
    };
    server.setRequestHandler(ListToolsRequestSchema, async (req) => {
      noCursor(req.params, 'tools/list');
      // A server plugin with nothing pinned yet starts once here: its tools are not known otherwise.
      await this.host.pinUnpinned?.();
      return { tools: c.toolList };
    });
    server.setRequestHandler(CallToolRequestSchema, async (req, extra) => {
      const call = callOf(extra);
      const token = call.progressToken;
      // Progress goes out in order and before the result: a client drops progress that follows its answer.
      let sent: Promise<unknown> | undefined;
      const onProgress = token === undefined ? undefined : (p: { progress: number; total?: number; message?: string }) => {
        const send = () => extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, ...p } }).catch(() => {});
        sent = sent ? sent.then(send) : send();
      };
      const result = await this.callTool(req.params.name, req.params.arguments ?? {}, call, onProgress);
      if (sent) {
        await sent;
        // The SDK's client settles a response at once but runs notification handlers a microtask
        // later: read in one chunk with the response, progress would be dropped. Let it go first.
        await new Promise((r) => setTimeout(r, 1));
      }
      return result as never;
    });
    server.setRequestHandler(ListResourcesRequestSchema, async (req) => (noCursor(req.params, 'resources/list'), { resources: c.resourceList }));
    server.setRequestHandler(ListResourceTemplatesRequestSchema, async (req) => (noCursor(req.params, 'resources/templates/list'), { resourceTemplates: c.templateList }));
    server.setRequestHandler(ReadResourceRequestSchema, async (req, extra) => (await this.readResource(req.params.uri, callOf(extra))) as never);
    server.setRequestHandler(ListPromptsRequestSchema, async (req) => (noCursor(req.params, 'prompts/list'), { prompts: c.promptList }));
    server.setRequestHandler(GetPromptRequestSchema, async (req, extra) => (c.serverPrompts.has(req.params.name) ? this.getServerPrompt(req.params.name, req.params.arguments ?? {}, callOf(extra)) : this.getPrompt(req.params.name, req.params.arguments ?? {}, callOf(extra))));
    // Last, so every handler above (and the SDK's initialize and ping) is measured and traced.
    instrumentServer(server, conn.source, sessionOf);
    server.onclose = () => this.servers.delete(server);
    this.servers.add(server);
    return server;
  }

  /** Closes every connected server. */
  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.servers].map((s) => s.close()));
    this.servers.clear();
  }

  /** tools/call: arguments validated here, then the host runs the hooks and the plugin. Only an unknown tool is a protocol error. */
  async callTool(wire: string, args: Record<string, unknown>, call: CallContext = {}, onProgress?: (p: { progress: number; total?: number; message?: string }) => void): Promise<ToolResult> {
    let tool = this.catalog.tools.get(wire);
    // A client may call a name it knows from before, ahead of tools/list: pin what is not pinned yet.
    if (!tool && (await this.host.pinUnpinned?.())) tool = this.catalog.tools.get(wire);
    if (!tool) {
      throw new WireError(WireCode.invalidParams, `Unknown tool: ${wire}; tools/list shows the tools pm serves`, { tool: wire });
    }
    const ref: ToolRef = { plugin: tool.plugin, tool: tool.name };
    const id = formatToolRef(ref);
    const started = performance.now();
    const problems = this.validator.checkNow(id, tool.inputSchema, args) ?? (await this.validator.check(id, tool.inputSchema, args));
    let result: ToolResult;
    if (problems.length) {
      this.log.debug('invalid arguments', { tool: id, problems });
      result = toolError(problemsText(wire, problems));
    } else {
      try {
        result = await this.host.callTool(ref, args, { call, onProgress });
      } catch (err) {
        result = this.callFailed(wire, id, err);
      }
    }
    this.host.recordCall?.(ref, performance.now() - started, !result.isError, call);
    return result;
  }

  /** The tool error a model sees for a call that was blocked or failed. */
  private callFailed(wire: string, id: string, err: unknown): ToolResult {
    if (isPmError(err) && err.code === 'TOOL_DENIED') {
      const d = (err.data ?? {}) as { plugin?: string; reason?: string };
      this.log.info('call blocked by a hook', { tool: id, by: d.plugin, reason: d.reason });
      return toolError(`${wire} was blocked${d.plugin ? ` by ${d.plugin}` : ''}: ${d.reason ?? err.message}`);
    }
    this.log.warn('tool call failed', { tool: id, error: errorText(err) });
    return toolError(`${wire} failed: ${errorText(err)}`);
  }

  /** resources/read: the host asks the plugin and runs resource:after-read. */
  async readResource(uri: string, call: CallContext = {}): Promise<ResourceResult> {
    try {
      return await this.host.readResource(uri, { call });
    } catch (err) {
      if (isPmError(err) && RESOURCE_MISSING.has(err.code)) throw new WireError(WireCode.resourceNotFound, `Resource not found: ${uri}`, { uri });
      this.log.warn('resource read failed', { uri, error: errorText(err) });
      throw new WireError(WireCode.internal, `reading ${uri} failed: ${errorText(err)}`, { uri });
    }
  }

  /** prompts/get of a server plugin's prompt: prompt:before-render (guard, arguments filter), then the server renders it. */
  async getServerPrompt(wire: string, args: Record<string, string>, call: CallContext = {}): Promise<GetPromptResult> {
    const p = this.catalog.serverPrompts.get(wire);
    if (!p || !this.host.getServerPrompt) throw new WireError(WireCode.invalidParams, `Unknown prompt: ${wire}; prompts/list shows the prompts pm serves`, { prompt: wire });
    const id = `${p.plugin}.${p.name}`;
    const before = await this.host.dispatch('prompt:before-render', { prompt: id, arguments: args }, call);
    if (before.denied) throw new WireError(WireCode.invalidRequest, `prompt ${wire} was blocked${before.denied.by ? ` by ${before.denied.by}` : ''}: ${before.denied.reason}`, { prompt: wire });
    try {
      return await this.host.getServerPrompt(p.plugin, p.name, before.value?.arguments ?? args, { call });
    } catch (err) {
      this.log.warn('prompt failed', { prompt: id, error: errorText(err) });
      throw new WireError(WireCode.internal, `prompt ${wire} failed: ${errorText(err)}`, { prompt: wire });
    }
  }

  /** prompts/get: prompt:before-render, the Handlebars templates, prompt:after-render. Errors name the prompt as the client does. */
  async getPrompt(wire: string, args: Record<string, string>, call: CallContext = {}): Promise<{ description?: string; messages: { role: 'user' | 'assistant'; content: { type: 'text'; text: string } }[] }> {
    const source = this.catalog.prompts.get(wire);
    if (!source) throw new WireError(WireCode.invalidParams, `Unknown prompt: ${wire}; prompts/list shows the prompts pm serves`, { prompt: wire });
    const id = `${source.plugin}.${source.prompt.name}`;
    let input = { prompt: id, arguments: args };
    const before = await this.host.dispatch('prompt:before-render', input, call);
    if (before.denied) throw new WireError(WireCode.invalidRequest, `prompt ${wire} was blocked${before.denied.by ? ` by ${before.denied.by}` : ''}: ${before.denied.reason}`, { prompt: wire });
    if (before.value && before.value !== input) input = { prompt: id, arguments: before.value.arguments ?? args };
    let messages: RenderedMessage[];
    try {
      messages = await renderPrompt(source, input.arguments, this.templates);
    } catch (err) {
      throw promptError(wire, source, err, this.log);
    }
    const after = await this.host.dispatch('prompt:after-render', { prompt: id, messages }, call);
    if (Array.isArray(after.value?.messages)) messages = after.value.messages;
    return {
      ...(source.prompt.description ? { description: source.prompt.description } : {}),
      // MCP prompts have no system role: a system message goes to the client as a user message.
      messages: messages.map((m) => ({ role: m.role === 'assistant' ? 'assistant' : 'user', content: { type: 'text', text: m.text } })),
    };
  }
}
