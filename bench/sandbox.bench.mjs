// The OS sandbox's cost (issue 15): a module plugin's process start (spawn, load, activate, first
// call) inside bubblewrap vs under Node's permission model alone (PM_SANDBOX=node), target
// +20 ms or less; and warm tools/call p50 inside vs outside, target ratio 1.05 or less.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { interleaved, percentile, repoRoot, reportRatio } from './lib.mjs';

const { createHost } = await import(pathToFileURL(join(repoRoot, 'dist', 'host', 'host.js')).href);
const { probeOsSandbox } = await import(pathToFileURL(join(repoRoot, 'dist', 'core', 'runtime', 'os-sandbox.js')).href);

const manifest = { name: 'echo', version: '1.0.0', description: 'echo', main: 'index.mjs', contributes: { tools: [{ name: 'echo', description: 'echo', inputSchema: { type: 'object' } }] } };

/** Runs `fn` with PM_SANDBOX set to `mode` (undefined: bubblewrap where it runs). */
async function inMode(mode, fn) {
  const before = process.env.PM_SANDBOX;
  if (mode === undefined) delete process.env.PM_SANDBOX; else process.env.PM_SANDBOX = mode;
  try { return await fn(); } finally { if (before === undefined) delete process.env.PM_SANDBOX; else process.env.PM_SANDBOX = before; }
}

export default async function () {
  const facts = probeOsSandbox();
  if (!facts.available) {
    console.log(`sandbox: SKIPPED, bubblewrap does not run here (${facts.reason})`);
    return;
  }
  const tmp = mkdtempSync(join(tmpdir(), 'pm-bench-sandbox-'));
  try {
    const dir = join(tmp, 'plugins', 'echo');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'plugin.json'), JSON.stringify(manifest));
    writeFileSync(join(dir, 'index.mjs'), 'export default { tools: { echo: (a) => JSON.stringify(a) } };\n');
    const plugin = (n) => ({ name: 'echo', dir, dataDir: join(tmp, 'data', `echo-${n}`), manifest });
    let n = 0;
    const start = (mode) => inMode(mode, async () => {
      const host = await createHost({ plugins: [plugin(n++)], options: { persistStats: false, log: () => {} } });
      const t0 = process.hrtime.bigint();
      await host.callTool('echo.echo', { x: 1 });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      await host.close();
      return ms;
    });
    const s = await interleaved(() => start(undefined), () => start('node'), { pairs: 15, warmup: 2 });
    const added = s.a.median - s.b.median;
    reportRatio('plugin process start to first answer, in bubblewrap', s, { baselineName: "Node's permission model alone" });
    console.log(`sandbox start overhead: +${added.toFixed(1)} ms (target <= 20 ms: ${added <= 20 ? 'met' : 'MISSED'})`);

    const inside = await inMode(undefined, () => createHost({ plugins: [plugin(n++)], options: { persistStats: false, log: () => {} } }));
    const outside = await inMode('node', () => createHost({ plugins: [plugin(n++)], options: { persistStats: false, log: () => {} } }));
    await inMode(undefined, () => inside.callTool('echo.echo', {}));
    await inMode('node', () => outside.callTool('echo.echo', {}));
    const BLOCK = 200;
    const block = (h) => async () => {
      const t = [];
      for (let i = 0; i < BLOCK; i++) {
        const t0 = process.hrtime.bigint();
        await h.callTool('echo.echo', { i });
        t.push(Number(process.hrtime.bigint() - t0) / 1000);
      }
      return percentile(t, 50);
    };
    const c = await interleaved(block(inside), block(outside), { pairs: 15, warmup: 2 });
    reportRatio('tools/call p50 (warm), in bubblewrap', c, { unit: 'µs', baselineName: "Node's permission model alone", target: 1.05 });
    await inside.close();
    await outside.close();
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
