// Server plugins (issue 14): with 50 server plugins installed (each server-everything, pinned), pm serve
// answers tools/list from the pins without starting any of them, and its resident memory before any call.
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { median, pmBin, report } from './lib.mjs';
import { connect, everythingPlugin, EVERYTHING_ARGS, installServerPlugin, SERVE_ENV } from './server-plugins.mjs';

const PLUGINS = 50;

/** The pids of `pid`'s child processes (Linux /proc; every thread's children). */
function childPids(pid) {
  const dir = `/proc/${pid}/task`;
  return readdirSync(dir).flatMap((t) => readFileSync(join(dir, t, 'children'), 'utf8').trim().split(/\s+/).filter(Boolean));
}

/** Resident memory of `pid` in MiB (VmRSS). */
function rssMiB(pid) {
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return kb / 1024;
}

/** CPU milliseconds (user + system) `pid` has used so far (Linux /proc, 10 ms ticks). */
function cpuMs(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

/** Milliseconds per tools/list: the raw answer (pm's work and the wire), or the SDK's listTools() (its zod parse and output-schema compiles added). */
async function listTimes(client, n, sdk) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    if (sdk) await client.listTools();
    else await client.request({ method: 'tools/list' }, ResultSchema);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return times;
}

/** Starts pm serve on `home`, lists tools `n` times and returns the times, the tool count and the RSS after listing. */
async function serveAndList(home, n) {
  const client = await connect([pmBin, 'serve', '--mcp', '--home', home, '--log-level', 'warn'], SERVE_ENV);
  try {
    const count = (await client.listTools()).tools.length;
    // Settled a moment (the stats timer, lazy loads) before memory is read: serving, before any call.
    await new Promise((r) => setTimeout(r, 500));
    const rss = rssMiB(client.pid);
    await listTimes(client, 10, false);
    const cpu0 = cpuMs(client.pid);
    const times = await listTimes(client, n, false);
    const cpuPerList = (cpuMs(client.pid) - cpu0) / n;
    const sdkTimes = await listTimes(client, Math.ceil(n / 5), true);
    const children = childPids(client.pid);
    const rssAfter = rssMiB(client.pid);
    // The control: a call does start a server, and the same check sees it.
    let started = [];
    if (count) {
      await client.callTool({ name: 'srv-00__echo', arguments: { message: 'x' } });
      started = childPids(client.pid);
    }
    return { times, cpuPerList, sdkTimes, count, rss, rssAfter, children, started };
  } finally {
    await client.close();
  }
}

export default async function proxyListBench() {
  if (process.platform !== 'linux') return void console.log('proxy-list: skipped (reads /proc for child processes and memory)');
  const root = await mkdtemp(join(tmpdir(), 'pm-bench-proxy-list-'));
  try {
    const direct = await connect(EVERYTHING_ARGS);
    const { tools } = await direct.listTools();
    await direct.close();
    const home = join(root, 'home');
    const names = Array.from({ length: PLUGINS }, (_, i) => `srv-${String(i).padStart(2, '0')}`);
    for (const name of names) await installServerPlugin(root, home, everythingPlugin(name), tools);
    const empty = await serveAndList(join(root, 'empty'), 5);
    const r = await serveAndList(home, 200);
    const expected = PLUGINS * tools.length;
    if (r.count !== expected) throw new Error(`pm serve listed ${r.count} tools, expected ${expected} (${PLUGINS} pins x ${tools.length})`);
    // Nothing may start for a list: pm serve has no child process (a server plugin runs as one).
    if (r.children.length) throw new Error(`pm serve started ${r.children.length} process(es) to answer tools/list: ${r.children.join(' ')}`);
    if (r.started.length !== 1) throw new Error(`the child-process check is blind: after one call pm serve has ${r.started.length} children`);
    report(`tools/list p50 with ${PLUGINS} server plugins pinned (${r.count} tools, 0 processes started; request to parsed JSON)`, { value: median(r.times), target: 10 });
    console.log(`pm serve's own CPU per tools/list (user + system, over ${r.times.length} lists): ${r.cpuPerList.toFixed(2)} ms (the rest of the wall time is the client and the machine's load)`);
    console.log(`tools/list p50 with the SDK Client's listTools() (its zod parse of every tool and output-schema compiles added): ${median(r.sdkTimes).toFixed(1)} ms (reference, no target)`);
    report(`resident memory of pm serve before any call, ${PLUGINS} server plugins installed (after initialize and one tools/list)`, { value: r.rss, unit: 'MiB', target: 80 });
    console.log(`resident memory of pm serve: with no plugins ${empty.rss.toFixed(1)} MiB; with ${PLUGINS} after ${r.times.length + r.sdkTimes.length + 11} tools/list ${r.rssAfter.toFixed(1)} MiB (reference, no target)`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
