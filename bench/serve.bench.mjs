// pm serve --mcp (issue 6): tools/call round trips through pm serve (stdio, warm plugin
// process) against the same tool in a bare SDK server, tools/list with 100 plugins x 10
// tools, and start-to-first-tools/list against the bare server's start. Same client, same run.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callTimes, connect } from './mcp-client.mjs';
import { interleaved, median, percentile, pmBin, repoRoot, report, reportRatio } from './lib.mjs';

const { installPlugin } = await import(join(repoRoot, 'dist', 'core', 'store', 'install.js'));
const bare = join(repoRoot, 'bench', 'bare-mcp-server.mjs');
const ECHO_CODE = "export default { tools: { echo: async ({ text }) => ({ content: [{ type: 'text', text }] }) } };\n";

/** Writes a plugin folder with `tools` echo-like tools (tool 0 is `echo`). */
async function writePlugin(dir, name, tools) {
  await mkdir(dir, { recursive: true });
  const list = Array.from({ length: tools }, (_, i) => ({
    name: i === 0 ? 'echo' : `tool-${i}`,
    description: `Tool ${i} of ${name}`,
    inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  }));
  const manifest = { name, version: '1.0.0', description: `bench plugin ${name}`, author: 'bench', license: 'MIT', main: 'index.js', engines: { pm: '^1.0.0' }, contributes: { tools: list } };
  await writeFile(join(dir, 'plugin.json'), JSON.stringify(manifest, null, 2));
  const impl = list.map((t) => `  ${JSON.stringify(t.name)}: async ({ text }) => ({ content: [{ type: 'text', text }] }),`).join('\n');
  await writeFile(join(dir, 'index.js'), tools === 1 ? ECHO_CODE : `export default { tools: {\n${impl}\n} };\n`);
  await writeFile(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
}



/** Calls per second with 8 callers in flight at once. */
async function throughput(client, total, width = 8) {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      next++;
      await client.callTool({ name: 'echo__echo', arguments: { text: 'load' } });
    }
  };
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: width }, worker));
  return total / (Number(process.hrtime.bigint() - t0) / 1e9);
}

async function listTimes(client, n) {
  for (let i = 0; i < 10; i++) await client.listTools();
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    const { tools } = await client.listTools();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (i === 0 && tools.length < 1000) throw new Error(`expected 1000 tools, got ${tools.length}`);
  }
  return times;
}

/** Spawn to first tools/list answer, in milliseconds. */
async function startTime(args, env) {
  const t0 = process.hrtime.bigint();
  const client = await connect(args, env);
  await client.listTools();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  await client.close();
  return ms;
}

export default async function serveBench() {
  const root = await mkdtemp(join(tmpdir(), 'pm-bench-serve-'));
  try {
    // One echo plugin, warm (its process started by the warm-up calls).
    const home1 = join(root, 'home-echo');
    await writePlugin(join(root, 'src', 'echo'), 'echo', 1);
    await installPlugin(join(root, 'src', 'echo'), { home: home1 });
    const pmClient = await connect([pmBin, 'serve', '--mcp', '--home', home1, '--log-level', 'warn']);
    const bareClient = await connect([bare]);
    const forkClient = await connect([bare], { BARE_FORK: '1' });
    for (const c of [pmClient, bareClient, forkClient]) await callTimes(c, 200); // start and warm
    // Blocks of calls alternate (pm, baseline, pm, baseline …) so machine noise hits both alike.
    const BLOCK = 250, PAIRS = 40, n = BLOCK * PAIRS;
    const vsBare = await interleaved(() => callTimes(pmClient, BLOCK), () => callTimes(bareClient, BLOCK), { pairs: PAIRS });
    const vsFloor = await interleaved(() => callTimes(pmClient, BLOCK), () => callTimes(forkClient, BLOCK), { pairs: PAIRS });
    const rate = await interleaved(() => throughput(pmClient, 1000), () => throughput(forkClient, 1000), { pairs: 6 });
    await Promise.all([pmClient.close(), bareClient.close(), forkClient.close()]);
    reportRatio(`tools/call p50 through pm serve (stdio, warm echo plugin, ${n} calls in blocks of ${BLOCK})`, vsBare, { baselineName: 'bare SDK server', target: 2.5 });
    reportRatio(`tools/call p50 through pm serve vs the isolation floor (${n} calls in blocks of ${BLOCK})`, vsFloor, { baselineName: 'bare SDK server forwarding to a forked child', target: 1.25 });
    const p99 = (r) => ({ a: percentile(r.a.samples, 99), b: percentile(r.b.samples, 99) });
    const q = p99(vsBare);
    console.log(`tools/call p99 through pm serve (${vsBare.a.samples.length} calls): ${q.a.toFixed(3)} ms; baseline bare SDK server p99 (${vsBare.b.samples.length} calls) ${q.b.toFixed(3)} ms; ratio ${(q.a / q.b).toFixed(2)} (no target)`);
    reportRatio('tools/call throughput through pm serve (8 concurrent callers, 1000 calls per run)', rate, { unit: 'calls/s', baselineName: 'isolation floor', target: 0.9, higherIsBetter: true });

    // 100 plugins x 10 tools.
    const home100 = join(root, 'home-100');
    for (let i = 0; i < 100; i++) {
      const name = `bench-${String(i).padStart(3, '0')}`;
      await writePlugin(join(root, 'src', name), name, 10);
      await installPlugin(join(root, 'src', name), { home: home100 });
    }
    const big = await connect([pmBin, 'serve', '--mcp', '--home', home100, '--log-level', 'warn']);
    const lt = await listTimes(big, 50);
    await big.close();
    report('tools/list p50 with 100 plugins x 10 tools', { value: median(lt), target: 20 });

    const starts = { pm: [], bare: [] };
    for (let i = 0; i < 7; i++) {
      starts.pm.push(await startTime([pmBin, 'serve', '--mcp', '--home', home100, '--log-level', 'warn']));
      starts.bare.push(await startTime([bare], { BARE_TOOLS: '1000' }));
    }
    report('start to first tools/list, 100 plugins x 10 tools (median of 7)', { value: median(starts.pm), baseline: median(starts.bare), baselineName: 'bare SDK server with 1000 tools', target: 2.0 });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
