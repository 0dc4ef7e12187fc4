// pm serve delivers webhooks itself: its own server and tool events, a plugin crash, and store
// changes a CLI command records while it runs; each signed so standardwebhooks verifies it.
import { afterAll, describe, expect, it } from 'vitest';
import { pm, tempDir } from '../helpers/pm.js';
import { connectStdio, homeWithPlugins } from '../helpers/serve.js';
import { startReceiver, type Received } from '../helpers/webhook-receiver.js';

const tmp = await tempDir('pm-e2e-serve-wh-');
afterAll(() => tmp.cleanup());

interface Body { type: string; data: Record<string, unknown> }
const body = (r: Received) => JSON.parse(r.body) as Body;

async function until(what: string, ok: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('pm serve and webhooks', () => {
  it('sends server.started, tool.called (payloads only where asked), plugin.crashed, a CLI plugin-disable, and server.stopping', async () => {
    const home = await homeWithPlugins(tmp.dir, ['echo', 'greeter']);
    const secret = `whsec_${Buffer.alloc(32, 5).toString('base64')}`;
    const all = await startReceiver({ secret });
    const calls = await startReceiver({ secret });
    try {
      expect((await pm(['webhook-add', all.url, '--events', '*,tool.called', '--secret', secret, '--home', home])).exitCode).toBe(0);
      expect((await pm(['webhook-add', calls.url, '--events', 'tool.called', '--include-payloads', '--secret', secret, '--home', home])).exitCode).toBe(0);
      const s = await connectStdio(home, ['--metrics-port', '0']);
      const types = () => all.received.map((r) => body(r).type);
      let metrics = '';
      try {
        await until('server.started', () => types().includes('server.started'));
        const r = await s.client.callTool({ name: 'echo__echo', arguments: { text: 'hi' } });
        expect(r.isError).toBeFalsy();
        await until('tool.called', () => types().includes('tool.called') && calls.received.length > 0);
        await s.client.callTool({ name: 'echo__crash', arguments: {} });
        await until('plugin.crashed', () => types().includes('plugin.crashed'));
        // Recorded by another process; pm serve finds it in the outbox and delivers it.
        expect((await pm(['plugin-disable', 'greeter', '--home', home])).exitCode).toBe(0);
        await until('plugin.disabled', () => types().includes('plugin.disabled'));
        // While pm serve delivers, webhook-flush waits for it instead of delivering too.
        const flushed = await pm(['webhook-flush', '--timeout', '10', '--home', home]);
        expect(flushed.stdout).toMatch(/^pm process \d+ delivered everything pending$/);
        expect(flushed.exitCode).toBe(0);
        const url = /Prometheus metrics at (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(s.stderr())![1]!;
        metrics = await (await fetch(url)).text();
      } finally {
        await s.close();
      }
      await until('server.stopping', () => types().includes('server.stopping'));
      const summary = all.received.map(body).find((b) => b.type === 'tool.called')!;
      expect(summary.data).toMatchObject({ tool: 'echo.echo', plugin: 'echo', name: 'echo', outcome: 'ok' });
      expect(summary.data).not.toHaveProperty('arguments');
      expect(summary.data).not.toHaveProperty('result');
      const withPayload = body(calls.received[0]!);
      expect(withPayload.data).toMatchObject({ tool: 'echo.echo', arguments: { text: 'hi' }, result: { content: [{ type: 'text' }] } });
      expect(all.received.map(body).find((b) => b.type === 'plugin.crashed')!.data).toMatchObject({ plugin: 'echo' });
      expect(all.received.map(body).find((b) => b.type === 'plugin.disabled')!.data).toMatchObject({ plugin: 'greeter', operation: 'disable' });
      // Each attempt is counted for /metrics.
      expect(metrics).toMatch(/^pm_webhook_deliveries_total\{[^}]*pm_webhook_outcome="delivered"[^}]*\} [1-9]/m);
      // Only the subscribed types went to the tool.called-only endpoint.
      expect(new Set(calls.received.map((r) => body(r).type))).toEqual(new Set(['tool.called']));
      expect([...all.received, ...calls.received].every((r) => r.verified)).toBe(true);
      // Nothing is left undelivered once pm serve has stopped.
      expect(JSON.parse((await pm(['webhook-list', '--json', '--home', home])).stdout).endpoints.map((e: { pending: number }) => e.pending)).toEqual([0, 0]);
    } finally {
      await all.close();
      await calls.close();
    }
  }, 60_000);

  it('keeps serving while a receiver never answers; what it could not deliver stays queued', async () => {
    const home = await homeWithPlugins(tmp.dir + '/slow', ['echo']);
    const stuck = await startReceiver({ answer: () => 'timeout' });
    try {
      expect((await pm(['webhook-add', stuck.url, '--events', '*,tool.called', '--home', home])).exitCode).toBe(0);
      const s = await connectStdio(home);
      try {
        await until('the first delivery attempt', () => stuck.received.length > 0);
        for (let i = 0; i < 5; i++) {
          const r = await s.client.callTool({ name: 'echo__echo', arguments: { text: `call ${i}` } });
          expect(r.content).toEqual([{ type: 'text', text: `call ${i}` }]);
        }
      } finally {
        await s.close();
      }
      // server.started (held by the receiver), five tool.called and server.stopping: none lost.
      const list = JSON.parse((await pm(['webhook-list', '--json', '--home', home])).stdout) as { endpoints: Array<{ pending: number }> };
      expect(list.endpoints[0]!.pending).toBe(7);
    } finally {
      await stuck.close();
    }
  }, 60_000);
});
