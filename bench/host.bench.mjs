// Hook dispatch cost (issue: plugin host). In-process: 20 no-op handlers per dispatch, per
// handler, next to a plain function-call loop. Across processes: one hook round trip to a
// warm sandboxed plugin, p50/p99, next to a bare process.send echo between two Node processes.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { interleaved, percentile, repoRoot, reportRatio } from './lib.mjs';

const { HookDispatcher } = await import(pathToFileURL(join(repoRoot, 'dist', 'host', 'hooks', 'dispatcher.js')).href);
const { createHost } = await import(pathToFileURL(join(repoRoot, 'dist', 'host', 'host.js')).href);

function line(name, value, unit, baselineName, baseline, target) {
  const f = (x) => `${x.toFixed(x < 10 ? 2 : 1)} ${unit}`;
  let s = `${name}: ${f(value)} vs ${baselineName} ${f(baseline)} = ratio ${(value / baseline).toFixed(2)}`;
  if (target !== undefined) s += ` (target <= ${target} ${unit}: ${value <= target ? 'met' : 'MISSED'})`;
  console.log(s);
}

async function inProcess() {
  const HANDLERS = 20;
  const d = new HookDispatcher();
  for (let i = 0; i < HANDLERS; i++) d.register({ plugin: `p${i}`, event: 'tool:after-call', fn: () => undefined });
  const fns = Array.from({ length: HANDLERS }, () => () => undefined);
  const value = { content: [] };
  const ROUNDS = 200_000;
  const runDispatch = async () => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < ROUNDS; i++) await d.dispatch('tool:after-call', value);
    return Number(process.hrtime.bigint() - t0) / (ROUNDS * HANDLERS);
  };
  const runPlain = () => {
    let sink;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < ROUNDS; i++) for (let j = 0; j < HANDLERS; j++) sink = fns[j](value) ?? value;
    const ns = Number(process.hrtime.bigint() - t0) / (ROUNDS * HANDLERS);
    if (sink !== value) throw new Error('unreachable');
    return ns;
  };
  await runDispatch(); runPlain(); // warm up the JIT
  const a = [], b = [];
  for (let k = 0; k < 5; k++) { a.push(await runDispatch()); b.push(runPlain()); }
  const med = (xs) => xs.sort((x, y) => x - y)[xs.length >> 1];
  line(`hook dispatch in-process, per handler (${HANDLERS} no-op handlers, median of 5x${ROUNDS})`, med(a), 'ns', 'plain function call', med(b), 100);
}

async function crossProcess() {
  const tmp = mkdtempSync(join(tmpdir(), 'pm-bench-host-'));
  try {
    const dir = join(tmp, 'plugins', 'noop');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'plugin.json'), JSON.stringify({ name: 'noop', version: '1.0.0', main: 'index.mjs', contributes: { hooks: [{ event: 'tool:after-call' }] } }));
    writeFileSync(join(dir, 'index.mjs'), "export default { hooks: { 'tool:after-call': () => undefined } };\n");
    const manifest = { name: 'noop', version: '1.0.0', main: 'index.mjs', contributes: { hooks: [{ event: 'tool:after-call' }] } };
    const host = await createHost({ plugins: [{ name: 'noop', dir, dataDir: join(tmp, 'data', 'noop'), manifest }], options: { persistStats: false } });
    const value = { content: [{ type: 'text', text: 'hello' }] };
    // Baseline: the same message shape echoed by a bare forked Node process, alive beside the host.
    const echoFile = join(tmp, 'echo.mjs');
    writeFileSync(echoFile, "process.on('message', (m) => process.send(m));\n");
    const child = fork(echoFile, [], { stdio: 'ignore' });
    const send = (m) => new Promise((resolve) => { child.once('message', resolve); child.send(m); });
    const msg = { t: 'req', id: 1, method: 'hooks', params: { event: 'tool:after-call', kind: 'filter', value, ctx: {}, handlers: [{ index: 0, priority: 10, timeoutMs: 5000 }] } };
    // Blocks of calls alternate (hook, echo, hook, echo …); each block is a list of per-call µs.
    const BLOCK = 250, PAIRS = 40;
    const block = async (once) => {
      const t = [];
      for (let i = 0; i < BLOCK; i++) {
        const t0 = process.hrtime.bigint();
        await once();
        t.push(Number(process.hrtime.bigint() - t0) / 1000);
      }
      return t;
    };
    const r = await interleaved(
      () => block(() => host.hooks.dispatch('tool:after-call', value)),
      () => block(() => send(msg)),
      { pairs: PAIRS, warmup: 2 },
    );
    await host.close();
    child.kill();
    const n = BLOCK * PAIRS;
    reportRatio(`hook round trip to a warm plugin process, p50 (${n} calls in blocks of ${BLOCK})`, r, { unit: 'µs', baselineName: 'bare process.send echo p50', target: 1.3 });
    const p99 = (xs) => percentile(xs, 99);
    console.log(`hook round trip p99 (${n} calls): ${p99(r.a.samples).toFixed(1)} µs; baseline bare process.send echo p99 ${p99(r.b.samples).toFixed(1)} µs; ratio ${(p99(r.a.samples) / p99(r.b.samples)).toFixed(2)} (no target)`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export default async function hostBench() {
  await inProcess();
  await crossProcess();
}
