// The benches' MCP client: one stdio connection, and timed sequential calls to the echo fixture.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { repoRoot } from './lib.mjs';

/** An SDK Client on `node <args>` over stdio, with only PATH (plus `env`) in its environment. */
export async function connect(args, env = {}) {
  const transport = new StdioClientTransport({ command: process.execPath, args, env: { PATH: process.env.PATH ?? '', ...env }, stderr: 'ignore', cwd: repoRoot });
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

/** Milliseconds per sequential tools/call of `echo__echo`. */
export async function callTimes(client, n) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await client.callTool({ name: 'echo__echo', arguments: { text: `call ${i}` } });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times;
}
