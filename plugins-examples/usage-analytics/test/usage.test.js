// Run with `pm plugin-test`: usage-analytics' hooks watch real tool calls through the real host.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertHookRegistered, assertToolResult, createTestHost } from 'pmkit/testing';

const plugin = fileURLToPath(new URL('..', import.meta.url));
const host = await createTestHost({ plugin });
after(() => host.close());

test('it watches every tool call before and after it runs', () => {
  assertHookRegistered(host, 'tool:before-call');
  assertHookRegistered(host, 'tool:after-call');
});

test('report starts empty', async () => {
  assertToolResult(await host.callTool('usage-analytics.report', {}), { text: 'No tool calls recorded yet.' });
});

test('calls, errors and latency are counted per tool', async () => {
  // The calls a client makes pass both hooks, as pm serve runs them.
  for (let i = 0; i < 3; i++) {
    await host.runHook('tool:before-call', { tool: 'demo.echo', arguments: {} });
    await host.runHook('tool:after-call', { content: [{ type: 'text', text: 'ok' }] }, { tool: 'demo.echo' });
  }
  await host.runHook('tool:before-call', { tool: 'demo.fail', arguments: {} });
  await host.runHook('tool:after-call', { isError: true, content: [{ type: 'text', text: 'boom' }] }, { tool: 'demo.fail' });
  const r = await host.callTool('usage-analytics.report', { prefix: 'demo.' });
  const { tools } = r.structuredContent;
  assert.deepEqual(Object.keys(tools), ['demo.echo', 'demo.fail'], 'busiest first');
  assert.equal(tools['demo.echo'].calls, 3);
  assert.equal(tools['demo.echo'].errors, 0);
  assert.equal(tools['demo.fail'].errors, 1);
  for (const t of Object.values(tools)) {
    assert.ok(t.avgMs >= 0 && t.p95Ms >= 0 && t.maxMs >= t.avgMs, JSON.stringify(t));
  }
  assertToolResult(r, { text: /^demo\.echo: 3 call\(s\), 0 error\(s\), avg [\d.]+ ms, p95 [\d.]+ ms, max [\d.]+ ms\ndemo\.fail: 1 call\(s\), 1 error\(s\)/ });
});

test('the hooks leave the result unchanged', async () => {
  const value = { content: [{ type: 'text', text: 'untouched' }] };
  assert.deepEqual(await host.runHook('tool:after-call', value, { tool: 'demo.echo' }), value);
});

test('its own report calls are counted too', async () => {
  await host.callTool('usage-analytics.report', {});
  const r = await host.callTool('usage-analytics.report', { prefix: 'usage-analytics.' });
  assert.ok(r.structuredContent.tools['usage-analytics.report'].calls >= 2);
});

test('usage://report holds the same figures as JSON', async () => {
  const res = await host.readResource('usage://report');
  assert.equal(res.contents[0].mimeType, 'application/json');
  const figures = JSON.parse(res.contents[0].text);
  assert.equal(figures.tools['demo.echo'].calls, 4, 'three calls and the unchanged-result check');
});

test('reset forgets everything', async () => {
  assertToolResult(await host.callTool('usage-analytics.reset', {}), { text: /^Forgot the figures of \d+ tool\(s\)\.$/ });
  const r = await host.callTool('usage-analytics.report', { prefix: 'demo.' });
  assert.deepEqual(r.structuredContent.tools, {});
});

test('figures survive the plugin being stopped and started again', async () => {
  const home = await mkdtemp(join(tmpdir(), 'usage-home-'));
  try {
    const first = await createTestHost({ plugin, home });
    await first.runHook('tool:before-call', { tool: 'demo.kept', arguments: {} });
    await first.runHook('tool:after-call', { content: [] }, { tool: 'demo.kept' });
    await first.close();
    const second = await createTestHost({ plugin, home });
    try {
      const r = await second.callTool('usage-analytics.report', { prefix: 'demo.' });
      assert.equal(r.structuredContent.tools['demo.kept'].calls, 1);
    } finally {
      await second.close();
    }
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});
