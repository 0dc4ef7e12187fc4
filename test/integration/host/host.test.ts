import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHost, type Host } from '../../../src/host/host.js';
import { tempDir } from '../../helpers/pm.js';
import { eventually, fixturePlugin } from '../../helpers/host-plugins.js';

const tmp = await tempDir('pm-host-');
afterAll(() => tmp.cleanup());

let host: Host | undefined;
let logs: { plugin?: string; level: string; message: string }[] = [];
afterEach(async () => {
  await host?.close();
  host = undefined;
  logs = [];
});

async function make(dir: string, folders = ['host-notes', 'host-audit'], options = {}, home?: string): Promise<Host> {
  host = await createHost({
    home,
    plugins: folders.map((f) => fixturePlugin(f, join(tmp.dir, dir), f === 'host-notes' ? { config: { maxNotes: 3 } } : {})),
    options: { env: { NOTES_TOKEN: 'tok', OTHER: 'x' }, log: (e) => logs.push(e), ...options },
  });
  return host;
}

describe('lifecycle', () => {
  it('lists tools and resources from the manifests without starting any process', async () => {
    const h = await make('list');
    expect(h.listTools().map((t) => t.name)).toEqual(['notes.echo', 'notes.add', 'notes.wait', 'notes.env', 'notes.fail', 'audit.relay', 'audit.sneak', 'audit.log', 'audit.shout']);
    expect(h.listTools().find((t) => t.name === 'notes.wait')).toMatchObject({ plugin: 'notes', tool: 'wait', timeoutMs: 60000 });
    expect(h.listTools().find((t) => t.name === 'notes.echo')!.timeoutMs).toBe(30000);
    expect(h.listResources()).toEqual([{ plugin: 'notes', uri: 'notes://{id}', name: 'note', mimeType: 'text/markdown' }]);
    expect(h.stats().plugins.map((p) => [p.name, p.state, p.starts])).toEqual([['notes', 'idle', 0], ['audit', 'idle', 0]]);
  });

  it('starts a plugin on first use and activates it with its config; its log goes to the host log', async () => {
    const h = await make('start', ['host-notes']);
    const r = await h.callTool('notes.echo', { text: 'hello' });
    expect(r.content[0]).toEqual({ type: 'text', text: 'hello' });
    expect(h.stats().plugins[0]).toMatchObject({ state: 'running', starts: 1 });
    expect(logs).toContainEqual({ plugin: 'notes', level: 'info', message: 'notes activated with {"maxNotes":3}' });
  });

  it('gives the child only the declared environment variables', async () => {
    const h = await make('env', ['host-notes']);
    const r = await h.callTool('notes.env', {});
    expect(JSON.parse((r.content[0] as { text: string }).text)).toEqual({ NOTES_TOKEN: 'tok' });
  });

  it('answers healthCheck() and reads resources through the matching template', async () => {
    const h = await make('res', ['host-notes']);
    await h.callTool('notes.add', { id: 'n1', text: '# one' });
    expect(await h.health('notes')).toEqual({ ok: true, detail: 'fine' });
    expect(await h.readResource('notes://n1')).toEqual({ contents: [{ uri: 'notes://n1', mimeType: 'text/markdown', text: '# one' }] });
    await expect(h.readResource('todo://1')).rejects.toMatchObject({ code: 'RESOURCE_NOT_FOUND', message: 'no enabled plugin provides the resource todo://1' });
  });

  it('deactivates plugins on close and persists hook stats under PM_HOME', async () => {
    const home = join(tmp.dir, 'home-close');
    const h = await make('close', ['host-notes'], {}, home);
    await h.callTool('notes.echo', { text: 'x' });
    await h.close();
    expect(existsSync(join(tmp.dir, 'close', 'data', 'notes', 'deactivated'))).toBe(true);
    const stats = JSON.parse(await readFile(join(home, 'stats', 'hooks.json'), 'utf8'));
    expect(stats.handlers).toEqual([expect.objectContaining({ event: 'tool:after-call', plugin: 'notes', calls: 1, errors: 0 })]);
    expect(stats.plugins[0]).toMatchObject({ name: 'notes', starts: 1, crashes: 0 });
    await expect(h.callTool('notes.echo', {})).rejects.toMatchObject({ code: 'HOST_CLOSED' });
  });

  it('stops a plugin after the idle time and starts it again on the next call', async () => {
    const h = await make('idle', ['host-notes'], { idleTimeoutMs: 50 });
    await h.callTool('notes.echo', { text: '1' });
    await eventually(() => h.stats().plugins[0]!.state === 'idle', 'the idle stop');
    expect(existsSync(join(tmp.dir, 'idle', 'data', 'notes', 'deactivated'))).toBe(true);
    await h.callTool('notes.echo', { text: '2' });
    expect(h.stats().plugins[0]).toMatchObject({ starts: 2, crashes: 0 });
  });

  it('keeps a plugin that is called more often than the idle time running, then stops it once calls stop', async () => {
    const h = await make('idle-busy', ['host-notes'], { idleTimeoutMs: 200 });
    await h.callTool('notes.echo', { text: '0' });
    const pid = h.stats().plugins[0]!.pid;
    // Calls spaced well inside the idle time, spanning several idle periods: the one idle timer re-arms, never stops it.
    for (let i = 1; i <= 8; i++) {
      await new Promise((r) => setTimeout(r, 50));
      await h.callTool('notes.echo', { text: String(i) });
    }
    expect(h.stats().plugins[0]).toMatchObject({ state: 'running', pid, starts: 1 });
    await eventually(() => h.stats().plugins[0]!.state === 'idle', 'the idle stop');
    expect(h.stats().plugins[0]).toMatchObject({ starts: 1, crashes: 0 });
  });

  it('calls a tool with no hook handlers without a dispatch, and runs a handler registered later on the next call', async () => {
    const p = fixturePlugin('host-notes', join(tmp.dir, 'no-hooks'), { config: { maxNotes: 3 } });
    const plugin = { ...p, manifest: { ...p.manifest, contributes: { ...p.manifest.contributes, hooks: [] } } };
    const h = (host = await createHost({ plugins: [plugin], options: { log: (e) => logs.push(e) } }));
    const dispatch = vi.spyOn(h.hooks, 'dispatch');
    expect(await h.callTool('notes.echo', { text: 'plain' })).toEqual({ content: [{ type: 'text', text: 'plain' }] });
    expect(dispatch).not.toHaveBeenCalled();
    const off = h.hooks.register({ plugin: 'test', event: 'tool:after-call', fn: (v: { content: { text: string }[] }) => ({ content: [{ type: 'text', text: `${v.content[0]!.text}!` }] }) });
    expect(await h.callTool('notes.echo', { text: 'filtered' })).toEqual({ content: [{ type: 'text', text: 'filtered!' }] });
    expect(dispatch.mock.calls.map((c) => c[0])).toEqual(['tool:before-call', 'tool:after-call']);
    off();
    const guard = h.hooks.register({ plugin: 'test', event: 'tool:before-call', fn: () => ({ deny: 'not now' }) });
    await expect(h.callTool('notes.echo', { text: 'x' })).rejects.toMatchObject({ code: 'TOOL_DENIED', message: 'notes.echo was denied by plugin test: not now' });
    guard();
    expect(await h.callTool('notes.echo', { text: 'again' })).toEqual({ content: [{ type: 'text', text: 'again' }] });
  });

  it('refuses an unknown tool and a call on a closed host with a rejected promise, not a synchronous throw', async () => {
    const h = await make('refuse', ['host-notes']);
    const unknown = h.callTool('notes.nope', {});
    expect(unknown).toBeInstanceOf(Promise);
    await expect(unknown).rejects.toMatchObject({ code: 'TOOL_NOT_FOUND' });
    await h.close();
    const closed = h.callTool('notes.echo', {});
    expect(closed).toBeInstanceOf(Promise);
    await expect(closed).rejects.toMatchObject({ code: 'HOST_CLOSED' });
  });

  it('reaches the plugin with a cancellation (AbortSignal in the tool ctx) and reports progress', async () => {
    const h = await make('cancel', ['host-notes']);
    const ac = new AbortController();
    const progress: unknown[] = [];
    const call = h.callTool('notes.wait', {}, { signal: ac.signal, onProgress: (p) => { progress.push(p); ac.abort(); } });
    await expect(call).rejects.toMatchObject({ code: 'CANCELLED', message: 'tool notes.wait was cancelled' });
    expect(progress).toEqual([{ progress: 1, total: 2, message: 'waiting' }]);
    await eventually(() => existsSync(join(tmp.dir, 'cancel', 'data', 'notes', 'cancelled')), 'the plugin to see the abort');
  });

  it('stops waiting for the plugin when the CallContext signal aborts (the client cancelled)', async () => {
    const h = await make('cancel-ctx', ['host-notes']);
    const ac = new AbortController();
    const call = h.callTool({ plugin: 'notes', tool: 'wait' }, {}, { call: { sessionId: 's', requestId: 1, signal: ac.signal }, onProgress: () => ac.abort() });
    await expect(call).rejects.toMatchObject({ code: 'CANCELLED', message: 'tool notes.wait was cancelled' });
    await eventually(() => existsSync(join(tmp.dir, 'cancel-ctx', 'data', 'notes', 'cancelled')), 'the plugin to see the abort');
  });

  it('refuses a call beyond maxInFlight with PLUGIN_BUSY instead of queueing it', async () => {
    const h = await make('busy', ['host-notes'], { maxInFlight: 2 });
    const ac = new AbortController();
    const waiting = [h.callTool('notes.wait', {}, { signal: ac.signal }), h.callTool('notes.wait', {}, { signal: ac.signal })];
    waiting.forEach((p) => p.catch(() => {}));
    await eventually(() => h.stats().plugins[0]!.counters.calls === 2, 'both calls to be in flight');
    await expect(h.callTool('notes.echo', { text: 'third' })).rejects.toMatchObject({ code: 'PLUGIN_BUSY', message: 'plugin notes has too many calls in flight' });
    ac.abort();
    await Promise.allSettled(waiting);
    expect((await h.callTool('notes.echo', { text: 'after' })).content[0]).toEqual({ type: 'text', text: 'after' });
  });

  it('refuses an unknown tool with a usage error naming it', async () => {
    const h = await make('unknown', ['host-notes']);
    await expect(h.callTool('notes.nope', {})).rejects.toMatchObject({ code: 'TOOL_NOT_FOUND', kind: 'usage', message: 'no enabled plugin provides the tool notes.nope' });
    await expect(h.callTool('nodot', {})).rejects.toMatchObject({ code: 'TOOL_NOT_FOUND' });
  });

  it('passes a tool\'s thrown error code and message to the caller, tagged with the plugin', async () => {
    const h = await make('fail', ['host-notes']);
    await expect(h.callTool('notes.fail', {})).rejects.toMatchObject({ code: 'NOTES_LOCKED', message: 'notes: the note store is locked' });
    // A thrown error is not a crash: the process keeps serving.
    expect(h.stats().plugins[0]).toMatchObject({ state: 'running', crashes: 0 });
  });

  it('reloads: a removed plugin is stopped and its hooks and tools disappear', async () => {
    const h = await make('reload');
    await h.callTool('audit.log', {});
    const notes = fixturePlugin('host-notes', join(tmp.dir, 'reload'), { config: { maxNotes: 3 } });
    const r = await h.reload([notes]);
    expect(r).toEqual({ added: [], removed: ['audit'], changed: [], failed: [] });
    expect(h.listTools().every((t) => t.plugin === 'notes')).toBe(true);
    expect(h.hooks.handlers('tool:before-call')).toHaveLength(0);
    const again = await h.reload([notes, fixturePlugin('host-audit', join(tmp.dir, 'reload'))]);
    expect(again.added).toEqual(['audit']);
  });
});

describe('plugin to plugin', () => {
  it('routes ctx.tools.call to a plugin in the caller\'s dependencies', async () => {
    const h = await make('p2p');
    const r = await h.callTool('audit.relay', { text: 'hi' });
    expect(r.content[0]).toEqual({ type: 'text', text: 'relayed: hi' });
  });

  it('refuses ctx.tools.call to a plugin not in the caller\'s dependencies', async () => {
    const h = await make('p2p-deny');
    await expect(h.callTool('audit.sneak', {})).rejects.toMatchObject({
      code: 'TOOL_CALL_DENIED', message: 'audit: plugin audit may not call spy.peek: spy is not in its dependencies',
      hint: 'add "spy" to "dependencies" in audit\'s plugin.json',
    });
  });

  it('delivers a declared custom event from ctx.hooks.emit to another plugin\'s handler', async () => {
    const h = await make('emit');
    await h.callTool('notes.add', { id: 'n7', text: 'x' });
    const seen = await h.callTool('audit.log', {});
    expect(JSON.parse((seen.content[0] as { text: string }).text)).toEqual([{ id: 'n7' }]);
  });

  it('refuses ctx.hooks.emit of an event the plugin did not declare (or a built-in one)', async () => {
    const h = await make('emit-deny');
    await expect(h.callTool('audit.shout', {})).rejects.toMatchObject({
      code: 'HOOK_EVENT_UNDECLARED', message: 'audit: plugin audit may not emit plugin:installed: it is not in its contributes.events',
    });
  });
});

describe('hooks across processes', () => {
  it('denies a tool call when a plugin guard vetoes it, and applies a guard\'s rewrite', async () => {
    const h = await make('guard');
    await expect(h.callTool('notes.echo', { text: 'forbidden' })).rejects.toMatchObject({
      code: 'TOOL_DENIED', message: 'notes.echo was denied by plugin audit: audit refuses forbidden text',
    });
    const r = await h.callTool('notes.echo', { text: 'rewrite' });
    expect(r.content[0]).toEqual({ type: 'text', text: 'rewritten by audit' });
    // tool:after-call filter of notes (match notes.*) appended its line.
    expect(r.content[1]).toEqual({ type: 'text', text: 'seen by notes (notes.echo)' });
  });

  it('skips a non-matching handler without starting its plugin (no IPC)', async () => {
    const h = await make('match', ['host-notes', 'host-batch']);
    const r = await h.hooks.dispatch('tool:after-call', { content: [] }, { tool: 'other.tool' }, { trace: true });
    expect(r.handlers).toEqual([expect.objectContaining({ plugin: 'notes', outcome: 'skipped' })]);
    const guard = await h.hooks.dispatch('tool:before-call', { tool: 'other.tool', arguments: {} });
    expect(guard.denied).toBeUndefined();
    expect(h.stats().plugins.map((p) => p.starts)).toEqual([0, 0]);
  });

  it('sends one plugin\'s consecutive handlers for one event in one round trip', async () => {
    const h = await make('batch', ['host-batch']);
    const r = await h.hooks.dispatch('prompt:after-render', 'text', {}, { trace: true });
    expect(r.value).toBe('text batch@1 batch@9');
    expect(r.handlers!.map((x) => [x.plugin, x.priority, x.outcome])).toEqual([['batch', 1, 'ok'], ['batch', 9, 'ok']]);
    expect(h.stats().plugins[0]!.counters.calls).toBe(1);
  });

  it('keeps priority order when an in-process handler sits between a plugin\'s handlers (two round trips)', async () => {
    const h = await make('interleave', ['host-batch']);
    h.hooks.register({ plugin: 'host', event: 'prompt:after-render', priority: 5, fn: (v: string) => `${v} host@5` });
    const r = await h.hooks.dispatch('prompt:after-render', 'text');
    expect(r.value).toBe('text batch@1 host@5 batch@9');
    expect(h.stats().plugins[0]!.counters.calls).toBe(2);
  });

  it('fails a plugin guard closed when it throws (open when its manifest says failOpen), and a filter open', async () => {
    const h = await make('faulty', ['host-faulty']);
    const strict = await h.hooks.dispatch('tool:before-call', { tool: 'strict.x', arguments: {} });
    expect(strict.denied).toEqual({ plugin: 'faulty', reason: 'guard of plugin faulty failed: policy store unreachable' });
    const lenient = await h.hooks.dispatch('tool:before-call', { tool: 'lenient.x', arguments: {} });
    expect(lenient.denied).toBeUndefined();
    h.hooks.register({ plugin: 'host', event: 'prompt:after-render', fn: (v: string) => `${v}!` });
    const f = await h.hooks.dispatch('prompt:after-render', 'v', {}, { trace: true });
    expect(f.value).toBe('v!');
    expect(f.handlers!.map((x) => [x.plugin, x.outcome, x.error])).toEqual([['faulty', 'error', 'faulty: renderer broke'], ['host', 'ok', undefined]]);
    expect(logs).toContainEqual({ plugin: 'faulty', level: 'warn', message: 'hook prompt:after-render failed: renderer broke' });
    expect(h.stats().hooks.find((x) => x.event === 'prompt:after-render' && x.plugin === 'faulty')).toMatchObject({ calls: 1, errors: 1 });
  });

  it('times out a plugin handler that never settles and passes the value on unchanged', async () => {
    const h = await make('hook-timeout', ['host-faulty']);
    const r = await h.hooks.dispatch('resource:after-read', { contents: [] }, {}, { trace: true });
    expect(r.value).toEqual({ contents: [] });
    expect(r.handlers).toEqual([expect.objectContaining({ plugin: 'faulty', outcome: 'timeout', error: 'faulty: timed out after 100 ms' })]);
    expect(h.stats().hooks.find((x) => x.event === 'resource:after-read')).toMatchObject({ calls: 1, timeouts: 1 });
  });

  it('kills a plugin whose handler blocks its process past the batch deadline, and records a timeout', async () => {
    const h = await make('hook-block', ['host-faulty']);
    const r = await h.hooks.dispatch('server:started', null, {}, { trace: true });
    expect(r.handlers).toEqual([expect.objectContaining({ plugin: 'faulty', outcome: 'timeout', error: 'faulty: hook server:started timed out after 1100 ms; plugin faulty was stopped and restarts on next use' })]);
    await eventually(() => h.stats().plugins[0]!.crashes === 1, 'the kill to be recorded');
  });

  it('fails a guard closed when its plugin process cannot start', async () => {
    const h = await make('nostart', ['host-notes'], { maxCrashes: 100, backoffMs: 1 });
    const broken = fixturePlugin('host-faulty', join(tmp.dir, 'nostart'));
    broken.manifest = { ...broken.manifest, main: 'missing.mjs' };
    await h.reload([fixturePlugin('host-notes', join(tmp.dir, 'nostart'), { config: { maxNotes: 3 } }), broken]);
    const g = await h.hooks.dispatch('tool:before-call', { tool: 'strict.x', arguments: {} });
    expect(g.denied).toMatchObject({ plugin: 'faulty', reason: expect.stringContaining('guard of plugin faulty failed: plugin faulty failed to start: cannot load missing.mjs') });
  });
});

describe('health checks', () => {
  it('fails the start when healthCheck() says not ok after activate', async () => {
    const { mkdir, writeFile } = await import('node:fs/promises');
    const dataDir = join(tmp.dir, 'sick-start', 'data', 'unhealthy');
    await mkdir(dataDir, { recursive: true });
    await writeFile(join(dataDir, 'sick'), '1');
    const h = await make('sick-start', ['host-unhealthy']);
    await expect(h.callTool('unhealthy.ping', {})).rejects.toMatchObject({
      code: 'PLUGIN_UNHEALTHY', message: 'plugin unhealthy failed to start: healthCheck() after activate said: the sick flag is set',
    });
  });

  it('restarts a running plugin whose periodic healthCheck() fails', async () => {
    const { writeFile, rm } = await import('node:fs/promises');
    const h = await make('sick-later', ['host-unhealthy'], { healthIntervalMs: 30, backoffMs: 1 });
    const first = ((await h.callTool('unhealthy.ping', {})).content[0] as { text: string }).text;
    const flag = join(tmp.dir, 'sick-later', 'data', 'unhealthy', 'sick');
    await writeFile(flag, '1');
    await eventually(() => h.stats().plugins[0]!.crashes >= 1, 'the failed health check to stop the plugin');
    await rm(flag);
    const second = ((await h.callTool('unhealthy.ping', {})).content[0] as { text: string }).text;
    expect(second).not.toBe(first);
    expect(logs.some((l) => l.plugin === 'unhealthy' && l.message === 'healthCheck failed (the sick flag is set); restarting')).toBe(true);
  });
});
