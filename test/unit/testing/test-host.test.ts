import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../helpers/pm.js';
import { assertDenied, assertHookRegistered, assertToolResult } from '../../../src/testing/assertions.js';
import { createTestHost, HookDeniedError, type TestHost } from '../../../src/testing/test-host.js';

const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', name);
const example = (name: string) => join(repoRoot, 'plugins-examples', name);

describe('createTestHost over the real host', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await createTestHost({ plugin: fixture('plugin-test-denied'), env: { FIXTURE_TOKEN: 'abc', HOME: '/nowhere' } });
  });
  afterAll(() => host.close());

  it('links the plugin into a temporary PM_HOME and lists its tools as <plugin>.<tool>', () => {
    expect(host.name).toBe('denied-fixture');
    expect(existsSync(join(host.home, 'state.json'))).toBe(true);
    expect(host.listTools().map((t) => t.name)).toEqual(['denied-fixture.read', 'denied-fixture.call', 'denied-fixture.emit', 'denied-fixture.env']);
  });

  it('hands the plugin only the env variables its manifest lists, from the env option', async () => {
    assertToolResult(await host.callTool('denied-fixture.env', {}), { json: { FIXTURE_TOKEN: 'abc', HOME: null } });
  });

  it('runs the plugin in the sandbox: reading outside its folders is denied', async () => {
    await assertDenied(host.callTool('denied-fixture.read', { path: '/etc/hostname' }), /Access to this API has been restricted/);
  });

  it('refuses a plugin-to-plugin call to a plugin not in dependencies', async () => {
    await assertDenied(host.callTool('denied-fixture.call', { tool: 'notes.list' }), 'notes is not in its dependencies');
  });

  it('refuses emitting an event the plugin does not declare, and allows the declared one', async () => {
    await assertDenied(host.callTool('denied-fixture.emit', { event: 'denied-fixture:other' }), 'may not emit');
    assertToolResult(await host.callTool('denied-fixture.emit', { event: 'denied-fixture:ping' }), { text: 'emitted' });
  });

  it('validates arguments against the inputSchema before the plugin runs', async () => {
    assertToolResult(await host.callTool('denied-fixture.read', {}), { isError: true, text: "invalid arguments for denied-fixture.read: 'path' is required" });
  });

  it('throws a usage error naming the tools it has for an unknown tool', async () => {
    await expect(host.callTool('denied-fixture.nope', {})).rejects.toThrow(/no enabled plugin provides the tool denied-fixture\.nope/);
  });

  it('removes its temporary PM_HOME on close', async () => {
    const h = await createTestHost({ plugin: fixture('plugin-test-denied') });
    await h.callTool('denied-fixture.env', {});
    await h.close();
    expect(existsSync(h.home)).toBe(false);
  });
});

describe('createTestHost with dependencies, hooks and config', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await createTestHost({
      plugin: example('policy-guard'),
      config: { blockTools: ['notes.delete'] },
      dependencies: { notes: example('notes'), 'usage-analytics': example('usage-analytics') },
    });
  });
  afterAll(() => host.close());

  it('installs the dependencies (in any order) and enables them', () => {
    expect(new Set(host.listTools().map((t) => t.plugin))).toEqual(new Set(['notes', 'policy-guard', 'usage-analytics']));
  });

  it('runs guards on callTool: a denied call comes back as the error a client sees', async () => {
    const r = await host.callTool('notes.delete', { id: '1' });
    expect(r.isError).toBe(true);
    expect((r.content[0] as { text: string }).text).toBe('notes.delete was blocked by policy-guard: the tool notes.delete is blocked by policy (notes.delete)');
  });

  it('runHook throws HookDeniedError on a veto; dispatch returns each handler outcome', async () => {
    await expect(host.runHook('tool:before-call', { tool: 'notes.delete', arguments: {} })).rejects.toBeInstanceOf(HookDeniedError);
    const r = await host.dispatch('tool:before-call', { tool: 'notes.list', arguments: {} });
    expect(r.denied).toBeUndefined();
    expect(r.handlers?.map((h) => [h.plugin, h.outcome])).toEqual([['policy-guard', 'ok'], ['usage-analytics', 'ok']]);
  });

  it('hookHandlers lists handlers in run order; assertHookRegistered names who does handle an event', () => {
    expect(host.hookHandlers('tool:after-call').map((h) => h.plugin)).toEqual(['usage-analytics']);
    assertHookRegistered(host, 'tool:before-call');
    expect(() => assertHookRegistered(host, 'tool:after-call')).toThrow('expected plugin policy-guard to handle tool:after-call, but only usage-analytics do');
  });

  it('captures plugin logs by plugin', async () => {
    await host.callTool('notes.add', { text: 'logged' });
    expect(host.logsOf('notes').some((l) => /added note \d+/.test(l.message))).toBe(true);
  });

  it('refuses a config that breaks the plugin config schema, naming the field', async () => {
    await expect(createTestHost({ plugin: example('notes'), config: { maxNotes: 'many' }, dependencies: { 'usage-analytics': example('usage-analytics') } })).rejects.toThrow(/maxNotes/);
  });

  it('refuses a missing dependency with the name of what is missing', async () => {
    await expect(createTestHost({ plugin: example('notes') })).rejects.toThrow(/usage-analytics/);
  });
});
