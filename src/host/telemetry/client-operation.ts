/**
 * One MCP request pm sends to a server plugin: `mcp.client.operation.duration`, and when the
 * request pm serves is traced, a CLIENT span `{mcp.method.name} {target}` whose context goes to
 * the server in `params._meta` (traceparent), so the server's spans join the same trace.
 */
import type { CallContext } from '../call-context.js';
import type { Attributes } from './instruments.js';
import { clientOperationDuration } from './pm-metrics.js';
import { tracing, type SpanAttributes } from './tracing.js';

/** What the request adds to its params: `{ _meta: { traceparent, … } }` when traced, else nothing. */
export type MetaParams = { _meta?: Record<string, unknown> };

const TARGET: Record<string, string> = { 'tools/call': 'gen_ai.tool.name', 'prompts/get': 'gen_ai.prompt.name' };

/** The error.type of a failed request: the JSON-RPC or pm error code when it has one. */
function errorType(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' || typeof code === 'number' ? String(code) : '_OTHER';
}

/**
 * Runs `send` (which puts `meta` into the request's params) as the client operation `method`
 * on `target` (a tool or prompt name, or a resource URI for resources/read) of server plugin `server`.
 */
export async function clientOperation<T>(call: CallContext | undefined, method: string, target: string | undefined, server: string, send: (meta: MetaParams) => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const attrs: Attributes = { 'mcp.method.name': method, 'pm.plugin.name': server };
  const key = TARGET[method];
  if (key !== undefined && target !== undefined) attrs[key] = target;
  const t = call?.trace !== undefined ? tracing() : undefined;
  let span: ReturnType<NonNullable<typeof t>['childSpan']> | undefined;
  let meta: MetaParams = {};
  if (t !== undefined) {
    const a: SpanAttributes = { ...attrs, 'network.transport': 'pipe' };
    if (method === 'tools/call') a['gen_ai.operation.name'] = 'execute_tool';
    if (method === 'resources/read' && target !== undefined) a['mcp.resource.uri'] = target;
    span = t.childSpan(call!.trace, key !== undefined && target !== undefined ? `${method} ${target}` : method, 'client', a);
    const m: Record<string, unknown> = {};
    t.inject(span.context, m);
    meta = { _meta: m };
  }
  let error: { type: string; message?: string } | undefined;
  try {
    const result = await send(meta);
    if (method === 'tools/call' && (result as { isError?: unknown } | undefined)?.isError === true) error = { type: 'tool_error' };
    return result;
  } catch (err) {
    error = { type: errorType(err), message: err instanceof Error ? err.message : String(err) };
    throw err;
  } finally {
    if (error !== undefined) attrs['error.type'] = error.type;
    clientOperationDuration.record((performance.now() - t0) / 1000, attrs);
    span?.end(error);
  }
}
