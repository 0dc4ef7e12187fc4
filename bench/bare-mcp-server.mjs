// The baselines for bench/serve.bench.mjs: the smallest honest MCP server with the SDK's
// low-level Server on stdio, answering the same echo tool, and listing `BARE_TOOLS` tools
// (default 1) so tools/list and start-up can be compared too. With BARE_FORK=1 it forwards
// each call to a forked child process over Node's IPC channel: the floor of any design that
// runs tools out of process, as pm does for isolation.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

if (process.argv[2] === 'child') {
  process.on('message', (m) => process.send({ id: m.id, result: { content: [{ type: 'text', text: m.text }] } }));
} else {
  const { Server } = await import('@modelcontextprotocol/sdk/server/index.js');
  const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
  const { CallToolRequestSchema, ListToolsRequestSchema } = await import('@modelcontextprotocol/sdk/types.js');
  const count = Number(process.env.BARE_TOOLS ?? 1);
  const tools = Array.from({ length: count }, (_, i) => ({
    name: i === 0 ? 'echo__echo' : `tool${i}`,
    description: 'Returns its text',
    inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  }));
  let call = async (text) => ({ content: [{ type: 'text', text }] });
  if (process.env.BARE_FORK === '1') {
    const child = fork(fileURLToPath(import.meta.url), ['child'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const pending = new Map();
    let next = 0;
    child.on('message', (m) => {
      pending.get(m.id)?.(m.result);
      pending.delete(m.id);
    });
    call = (text) => new Promise((resolve) => {
      const id = ++next;
      pending.set(id, resolve);
      child.send({ id, text });
    });
    process.stdin.on('end', () => child.kill());
  }
  const server = new Server({ name: 'bare', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));
  server.setRequestHandler(CallToolRequestSchema, async (req) => call(String(req.params.arguments?.text ?? '')));
  await server.connect(new StdioServerTransport());
  process.stdin.on('end', () => process.exit(0));
}
