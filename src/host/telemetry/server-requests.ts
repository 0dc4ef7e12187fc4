/**
 * Every MCP request pm answers, measured (`mcp.server.operation.duration`, in-flight count) and,
 * when tracing is on, a SERVER span `{mcp.method.name} {target}` per the MCP semantic conventions.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Attributes } from './instruments.js';
import { activeRequests, serverOperationDuration } from './pm-metrics.js';
import { tracing, type SpanAttributes } from './tracing.js';

type RequestHandler = (request: { method: string; params?: Record<string, unknown> }, extra: RequestExtra) => Promise<unknown>;
interface RequestExtra {
  sessionId?: string;
  requestId: string | number;
  requestInfo?: { headers?: Record<string, string | string[] | undefined> };
}

const traces = new WeakMap<object, unknown>();

/** The trace context of the request `extra` belongs to (for CallContext.trace), when it is traced. */
export function requestTrace(extra: object): unknown {
  return traces.get(extra);
}

/** The error.type of a thrown error: the JSON-RPC code when it has one (McpError, WireError). */
function errorType(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' || typeof code === 'string' ? String(code) : '_OTHER';
}

/**
 * Wraps every request handler `server` has (the SDK's initialize and ping included), so call it
 * after the last setRequestHandler. `sessionOf` names the session as the CallContext does.
 */
export function instrumentServer(server: Server, transport: string, sessionOf: (extra: RequestExtra) => string | undefined): void {
  // The SDK keeps its handlers in this map; a future SDK without it leaves requests unmeasured, not broken.
  const handlers = (server as unknown as { _requestHandlers?: unknown })._requestHandlers;
  if (!(handlers instanceof Map)) return;
  let negotiated: string | undefined;
  const network = transport === 'stdio' ? 'pipe' : transport === 'http' ? 'tcp' : undefined;
  for (const [method, handler] of handlers as Map<string, RequestHandler>) {
    const inflight: Attributes = { 'mcp.method.name': method };
    handlers.set(method, async (request: Parameters<RequestHandler>[0], extra: RequestExtra) => {
      const t0 = performance.now();
      const params = request.params;
      const attrs: Attributes = { 'mcp.method.name': method };
      let target: string | undefined;
      if (method === 'tools/call' && typeof params?.name === 'string') attrs['gen_ai.tool.name'] = target = params.name;
      else if (method === 'prompts/get' && typeof params?.name === 'string') attrs['gen_ai.prompt.name'] = target = params.name;
      const header = extra.requestInfo?.headers?.['mcp-protocol-version'];
      const version = typeof header === 'string' ? header : negotiated;
      if (version !== undefined) attrs['mcp.protocol.version'] = version;
      const t = tracing();
      let span: ReturnType<NonNullable<typeof t>['serverSpan']> | undefined;
      if (t !== undefined) {
        const a: SpanAttributes = { ...attrs, 'jsonrpc.request.id': String(extra.requestId) };
        const session = sessionOf(extra);
        if (session !== undefined) a['mcp.session.id'] = session;
        if (network !== undefined) a['network.transport'] = network;
        if (method === 'tools/call') a['gen_ai.operation.name'] = 'execute_tool';
        if (typeof params?.uri === 'string') a['mcp.resource.uri'] = params.uri;
        span = t.serverSpan(target === undefined ? method : `${method} ${target}`, a, params?._meta);
        traces.set(extra, span.context);
      }
      activeRequests.add(inflight, 1);
      let error: { type: string; message?: string } | undefined;
      try {
        const result = (await handler(request, extra)) as { isError?: unknown; protocolVersion?: unknown } | undefined;
        if (method === 'initialize' && typeof result?.protocolVersion === 'string') negotiated = result.protocolVersion;
        if (method === 'tools/call' && result?.isError === true) error = { type: 'tool_error' };
        return result;
      } catch (err) {
        error = { type: errorType(err), message: err instanceof Error ? err.message : String(err) };
        throw err;
      } finally {
        activeRequests.add(inflight, -1);
        if (error !== undefined) attrs['error.type'] = error.type;
        serverOperationDuration.record((performance.now() - t0) / 1000, attrs);
        span?.end(error);
      }
    });
  }
}
