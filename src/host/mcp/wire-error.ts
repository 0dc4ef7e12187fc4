/** JSON-RPC and MCP error codes pm answers with. */
export const WireCode = {
  invalidRequest: -32600,
  invalidParams: -32602,
  internal: -32603,
  /** MCP: the resource does not exist. */
  resourceNotFound: -32002,
} as const;

/**
 * An error answered to the client as `{ code, message, data }`, as it is. The SDK's McpError
 * puts "MCP error <code>:" in its message, and the client's SDK adds that prefix again.
 */
export class WireError extends Error {
  constructor(readonly code: number, message: string, readonly data?: unknown) {
    super(message);
    this.name = 'WireError';
  }
}
