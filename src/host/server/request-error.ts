/** Turns what the MCP SDK client rejects a request with into the PmError a caller sees. */
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { PmError } from '../../core/errors.js';
import { IpcCode, IpcError } from '../ipc.js';
import { callError } from '../process/call-error.js';

/** True when the SDK rejected because the connection to the server closed. */
export function isConnectionClosed(err: unknown): boolean {
  return err instanceof McpError && err.code === ErrorCode.ConnectionClosed;
}

/** True when the SDK rejected a request with RequestTimeout (its timer, or a cancellation it wrapped). */
export function isRequestTimeout(err: unknown): boolean {
  return err instanceof McpError && err.code === ErrorCode.RequestTimeout;
}

/** A timeout or cancellation reads as for module plugins (call-error.ts); the server's own JSON-RPC errors keep their message and code. */
export function requestError(plugin: string, err: unknown, what: string, timeoutMs: number, timedOut: boolean, cancelled: boolean): PmError {
  if (timedOut) return callError(plugin, new IpcError(IpcCode.timeout, 'timeout'), what, timeoutMs);
  if (cancelled) return callError(plugin, new IpcError(IpcCode.cancelled, 'cancelled'), what, timeoutMs);
  if (err instanceof PmError) return err;
  if (err instanceof McpError) {
    return new PmError('PLUGIN_ERROR', `${plugin}: ${err.message}`, { data: { plugin, mcpCode: err.code, ...(err.data !== undefined ? { detail: err.data } : {}) } });
  }
  return new PmError('PLUGIN_ERROR', `${plugin}: ${what} failed: ${(err as Error)?.message ?? String(err)}`, { data: { plugin } });
}
