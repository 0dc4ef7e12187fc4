/** pm's MCP client on a spawned server: the SDK's Client over a PipeTransport, with pm's notification handlers. */
import { createRequire } from 'node:module';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  LoggingMessageNotificationSchema, PromptListChangedNotificationSchema, ResourceListChangedNotificationSchema,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { SpawnedCommand } from '../launch/spawn-command.js';
import { PipeTransport } from './pipe-transport.js';
import type { ServerListKind } from './types.js';

const PM_VERSION = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

/** What the client reports to its ServerProcess. */
export interface ServerClientHandlers {
  listChanged(kind: ServerListKind): void;
  /** A log line from the server (notifications/message) or about the session (SDK errors). */
  log(level: string, message: string): void;
  /** A line on stdout that is not JSON-RPC (reported once). */
  garbage(error: Error): void;
}

/**
 * An unconnected Client and its Transport on `child`'s pipes. It declares no client
 * capabilities: sampling, elicitation and roots requests from the server are refused.
 */
export function serverClient(child: SpawnedCommand, h: ServerClientHandlers): { client: Client; transport: PipeTransport } {
  const transport = new PipeTransport(child, (err) => h.garbage(err));
  const client = new Client({ name: 'pm', version: PM_VERSION }, { capabilities: {} });
  client.onerror = (err) => h.log('warn', `MCP: ${err.message}`);
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => h.listChanged('tools'));
  client.setNotificationHandler(ResourceListChangedNotificationSchema, () => h.listChanged('resources'));
  client.setNotificationHandler(PromptListChangedNotificationSchema, () => h.listChanged('prompts'));
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    const data = n.params.data;
    h.log(n.params.level, typeof data === 'string' ? data : JSON.stringify(data));
  });
  return { client, transport };
}
