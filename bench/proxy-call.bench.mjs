// Server plugins (issue 14): tools/call through `pm serve --mcp` to server-everything's `echo`
// installed as a server plugin, against the SDK Client calling the same server directly, in the
// same run. Sequential p50 in interleaved blocks, and calls/s with 8 callers in flight at once; the
// bare SDK relay (bare-mcp-relay.mjs) is the floor of any proxy, so pm's own share of the hop shows.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interleaved, percentile, pmBin, repoRoot, reportRatio } from './lib.mjs';
import { connect, everythingPlugin, EVERYTHING_ARGS, installServerPlugin, SERVE_ENV } from './server-plugins.mjs';

/** Milliseconds per sequential tools/call of `name`. */
async function callTimes(client, name, n) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await client.callTool({ name, arguments: { message: `call ${i}` } });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times;
}

/** CPU milliseconds (user + system) `pid` has used so far (Linux /proc, 10 ms ticks). */
function cpuMs(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

/** Microseconds of the proxy process's CPU per call, over `total` calls from 8 callers. */
async function cpuPerCall(client, name, total) {
  const c0 = cpuMs(client.pid);
  await throughput(client, name, total);
  return ((cpuMs(client.pid) - c0) * 1000) / total;
}

/** Calls per second with `width` callers in flight at once. */
async function throughput(client, name, total, width = 8) {
  let next = 0;
  const worker = async () => {
    while (next < total) {
      next++;
      await client.callTool({ name, arguments: { message: 'load' } });
    }
  };
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: width }, worker));
  return total / (Number(process.hrtime.bigint() - t0) / 1e9);
}

export default async function proxyCallBench() {
  const root = await mkdtemp(join(tmpdir(), 'pm-bench-proxy-'));
  try {
    const home = join(root, 'home');
    const direct = await connect(EVERYTHING_ARGS);
    const relay = await connect([join(repoRoot, 'bench', 'bare-mcp-relay.mjs'), ...EVERYTHING_ARGS]);
    // Pinned as a first start would pin it, so pm serve lists the tools without starting the server.
    await installServerPlugin(root, home, everythingPlugin('everything'), (await direct.listTools()).tools);
    const viaPm = await connect([pmBin, 'serve', '--mcp', '--home', home, '--log-level', 'warn'], SERVE_ENV);
    const PM = 'everything__echo', DIRECT = 'echo';
    const first = await viaPm.callTool({ name: PM, arguments: { message: 'hi' } });
    if (first.isError || first.content?.[0]?.text !== 'Echo: hi') throw new Error(`pm serve did not relay echo: ${JSON.stringify(first)}`);
    await callTimes(viaPm, PM, 300); // warm both (JIT, the server's process started)
    await callTimes(direct, DIRECT, 300);
    await callTimes(relay, DIRECT, 300);
    const BLOCK = 200, PAIRS = 25;
    const seq = await interleaved(() => callTimes(viaPm, PM, BLOCK), () => callTimes(direct, DIRECT, BLOCK), { pairs: PAIRS });
    const vsRelay = await interleaved(() => callTimes(viaPm, PM, BLOCK), () => callTimes(relay, DIRECT, BLOCK), { pairs: PAIRS });
    const rate = await interleaved(() => throughput(viaPm, PM, 1000), () => throughput(direct, DIRECT, 1000), { pairs: 8 });
    const rateRelay = await interleaved(() => throughput(viaPm, PM, 1000), () => throughput(relay, DIRECT, 1000), { pairs: 8 });
    // The proxy's own CPU per call: what pm adds, and a figure the machine's load moves less than wall time.
    const cpu = process.platform === 'linux' ? await interleaved(() => cpuPerCall(viaPm, PM, 2000), () => cpuPerCall(relay, DIRECT, 2000), { pairs: 6 }) : undefined;
    await Promise.all([viaPm.close(), direct.close(), relay.close()]);
    reportRatio(`tools/call p50 through pm serve to server-everything echo (server plugin, ${BLOCK * PAIRS} calls in blocks of ${BLOCK})`, seq, { baselineName: 'SDK client calling server-everything directly', target: 1.3 });
    const p99 = { a: percentile(seq.a.samples, 99), b: percentile(seq.b.samples, 99) };
    console.log(`tools/call p99 through pm serve to server-everything: ${p99.a.toFixed(3)} ms; direct ${p99.b.toFixed(3)} ms; ratio ${(p99.a / p99.b).toFixed(2)} (no target)`);
    reportRatio(`tools/call p50 through pm serve vs the proxy floor (${BLOCK * PAIRS} calls in blocks of ${BLOCK})`, vsRelay, { baselineName: 'bare SDK relay (Server forwarding to a Client) to server-everything' });
    reportRatio('tools/call throughput through pm serve to server-everything echo (8 concurrent callers, 1000 calls per run)', rate, { unit: 'calls/s', baselineName: 'direct', target: 0.8, higherIsBetter: true });
    reportRatio('tools/call throughput through pm serve vs the proxy floor (8 concurrent callers)', rateRelay, { unit: 'calls/s', baselineName: 'bare SDK relay', higherIsBetter: true });
    if (cpu) reportRatio('CPU per tools/call of the proxy process (user + system, 8 callers, 2000 calls per run)', cpu, { unit: 'us', baselineName: 'bare SDK relay' });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
