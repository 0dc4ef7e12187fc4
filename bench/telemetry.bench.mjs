// Telemetry (issue 17): tools/call p50 through pm serve (stdio, warm echo plugin) with tracing and
// metrics exported over OTLP/HTTP to a receiver in this process, against the same server with
// telemetry unconfigured. Blocks alternate so machine noise hits both alike.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callTimes, connect } from './mcp-client.mjs';
import { interleaved, pmBin, repoRoot, reportRatio } from './lib.mjs';

const { installPlugin } = await import(join(repoRoot, 'dist', 'core', 'store', 'install.js'));

async function writeEcho(dir) {
  await mkdir(dir, { recursive: true });
  const manifest = { name: 'echo', version: '1.0.0', description: 'bench echo', author: 'bench', license: 'MIT', main: 'index.js', engines: { pm: '^1.0.0' },
    contributes: { tools: [{ name: 'echo', description: 'echo', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } }] } };
  await writeFile(join(dir, 'plugin.json'), JSON.stringify(manifest));
  await writeFile(join(dir, 'index.js'), "export default { tools: { echo: async ({ text }) => ({ content: [{ type: 'text', text }] }) } };\n");
  await writeFile(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
}



export default async function telemetryBench() {
  const root = await mkdtemp(join(tmpdir(), 'pm-bench-telemetry-'));
  let spans = 0;
  // A collector that reads and acknowledges every export, as a real one would.
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (req.url === '/v1/traces') spans += (body.match(/"spanId"/g) ?? []).length;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const otlp = `http://127.0.0.1:${receiver.address().port}`;
  try {
    const home = join(root, 'home');
    await writeEcho(join(root, 'src', 'echo'));
    await installPlugin(join(root, 'src', 'echo'), { home });
    const traced = await connect([pmBin, 'serve', '--mcp', '--home', home, '--log-level', 'warn', '--otlp', otlp]);
    const plain = await connect([pmBin, 'serve', '--mcp', '--home', home, '--log-level', 'warn']);
    for (const c of [traced, plain]) await callTimes(c, 200);
    const BLOCK = 250, PAIRS = 30;
    const r = await interleaved(() => callTimes(traced, BLOCK), () => callTimes(plain, BLOCK), { pairs: PAIRS });
    await Promise.all([traced.close(), plain.close()]);
    reportRatio(`tools/call p50 through pm serve with tracing on, exporting to a local OTLP receiver (${BLOCK * PAIRS} calls in blocks of ${BLOCK})`, r, { baselineName: 'telemetry unconfigured', target: 1.1 });
    console.log(`spans received by the local OTLP receiver: ${spans}`);
  } finally {
    await new Promise((r) => { receiver.closeAllConnections(); receiver.close(r); });
    await rm(root, { recursive: true, force: true });
  }
}
