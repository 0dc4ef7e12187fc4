/**
 * One request's context (DESIGN §5 "One call's context"): made once per MCP request by the server
 * and handed down through the host to hooks, stats and the audit log.
 */

/** The MCP client, as it named itself in `initialize`. */
export interface ClientInfo {
  name: string;
  version?: string;
}

/** Who asked, over what, and how to cancel: everything below the MCP layer learns of a request from this. */
export interface CallContext {
  /** How the request arrived: `stdio`, `http`, `test`… */
  transport?: string;
  /** The MCP session: the Mcp-Session-Id over HTTP, one id per connection on stdio. */
  sessionId?: string;
  client?: ClientInfo;
  /** The JSON-RPC id of the client's request. */
  requestId?: string | number;
  /** The client's `_meta.progressToken`, when it asked for progress. */
  progressToken?: string | number;
  /** Aborted when the client cancels the request (notifications/cancelled) or goes away. */
  signal?: AbortSignal;
  trace?: unknown;
}

/** What crosses a process boundary or lands in a log: the context without its signal. */
export type CallInfo = Omit<CallContext, 'signal' | 'trace'>;

/** The context's serialisable part (no signal), with only the fields that are set. */
export function callInfo(call: CallContext): CallInfo {
  const out: CallInfo = {};
  if (call.transport !== undefined) out.transport = call.transport;
  if (call.sessionId !== undefined) out.sessionId = call.sessionId;
  if (call.client !== undefined) out.client = call.client.version === undefined ? { name: call.client.name } : { name: call.client.name, version: call.client.version };
  if (call.requestId !== undefined) out.requestId = call.requestId;
  if (call.progressToken !== undefined) out.progressToken = call.progressToken;
  return out;
}
