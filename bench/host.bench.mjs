// Hook dispatch cost (issue: plugin host). In-process: 20 no-op handlers per dispatch, per
// handler, next to a plain function-call loop. Across processes: one hook round trip to a
// warm sandboxed plugin, p50/p99, next to a bare process.send echo between two Node processes.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { percentile, repoRoot } from './lib.mjs';

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
    const N = 3000;
    const value = { content: [{ type: 'text', text: 'hello' }] };
    for (let i = 0; i < 300; i++) await host.hooks.dispatch('tool:after-call', value); // start and warm
    const hook = [];
    for (let i = 0; i < N; i++) {
      const t0 = process.hrtime.bigint();
      await host.hooks.dispatch('tool:after-call', value);
      hook.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
    await host.close();

    // Baseline: the same message shape echoed by a bare forked Node process.
    const echoFile = join(tmp, 'echo.mjs');
    writeFileSync(echoFile, "process.on('message', (m) => process.send(m));\n");
    const child = fork(echoFile, [], { stdio: 'ignore' });
    const send = (m) => new Promise((resolve) => { child.once('message', resolve); child.send(m); });
    const msg = { t: 'req', id: 1, method: 'hooks', params: { event: 'tool:after-call', kind: 'filter', value, ctx: {}, handlers: [{ index: 0, priority: 10, timeoutMs: 5000 }] } };
    for (let i = 0; i < 300; i++) await send(msg);
    const echo = [];
    for (let i = 0; i < N; i++) {
      const t0 = process.hrtime.bigint();
      await send(msg);
      echo.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
    child.kill();
    line(`hook round trip to a warm plugin process, p50 (n=${N})`, percentile(hook, 50), 'µs', 'bare process.send echo p50', percentile(echo, 50), 100);
    line(`hook round trip to a warm plugin process, p99 (n=${N})`, percentile(hook, 99), 'µs', 'bare process.send echo p99', percentile(echo, 99));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export default async function hostBench() {
  await inProcess();
  await crossProcess();
}
