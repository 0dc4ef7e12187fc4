// The floor of any MCP proxy, for bench/proxy-call.bench.mjs: the SDK's low-level Server on stdio
// whose tools/call is forwarded, as it is, by an SDK Client to a spawned stdio server (argv after
// the script: the server's node arguments). No names mapped, no validation, no hooks, no stats.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';

const upstream = new Client({ name: 'relay', version: '1.0.0' });
await upstream.connect(new StdioClientTransport({ command: process.execPath, args: process.argv.slice(2), stderr: 'ignore' }));
const server = new Server({ name: 'relay', version: '1.0.0' }, { capabilities: { tools: {} } });
server.setRequestHandler(ListToolsRequestSchema, () => upstream.listTools());
server.setRequestHandler(CallToolRequestSchema, (req) => upstream.callTool(req.params));
await server.connect(new StdioServerTransport());
process.stdin.on('end', () => void upstream.close().then(() => process.exit(0)));
