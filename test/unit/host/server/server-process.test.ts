import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerSpec } from '../../../../src/core/manifest/types.js';
import type { HostPlugin } from '../../../../src/host/manifest-types.js';
import { DEFAULT_SUPERVISOR_OPTIONS, type SupervisorOptions } from '../../../../src/host/process/options.js';
import { ServerProcess } from '../../../../src/host/server/server-process.js';
import type { ServerListKind } from '../../../../src/host/server/types.js';
import { eventually, fixturesDir } from '../../../helpers/host-plugins.js';
import { repoRoot } from '../../../helpers/pm.js';

const steerableDir = join(fixturesDir, 'servers', 'steerable');
/** How many tools the steerable fixture lists (see its server.mjs). */
const STEERABLE_TOOLS = 13;
const started: ServerProcess[] = [];
const temps: string[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.stop()));
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

function plugin(name: string, dir: string, server: ServerSpec, extra: Partial<HostPlugin> = {}): HostPlugin {
  const root = mkdtempSync(join(tmpdir(), 'pm-server-'));
  temps.push(root);
  return {
    name, kind: 'server', dir, dataDir: join(root, 'data', name), config: {}, enabled: true,
    manifest: { name, version: '1.0.0', description: name, server }, ...extra,
  };
}

function make(hp: HostPlugin, options: Partial<SupervisorOptions> = {}) {
  const logs: string[] = [];
  const changed: ServerListKind[] = [];
  const crashed: { failed: boolean; message: string }[] = [];
  const proc = new ServerProcess(hp, { ...DEFAULT_SUPERVISOR_OPTIONS, idleTimeoutMs: 0, backoffMs: 10, graceMs: 2000, env: process.env, ...options }, {
    log: (_p, level, message) => logs.push(`${level}: ${message}`),
    events: { onListChanged: (k) => changed.push(k), onCrashed: (c) => crashed.push(c) },
  });
  started.push(proc);
  return { proc, logs, changed, crashed };
}

/** The steerable fixture server, started with `flags`. */
function steerable(flags: string[] = [], extra: Partial<HostPlugin> = {}, server: Partial<ServerSpec> = {}) {
  return plugin('steer', steerableDir, { command: process.execPath, args: ['${pluginDir}/server.mjs', ...flags], ...server }, extra);
}

const text = (r: { content: unknown }) => (r.content as { text: string }[])[0]!.text;

/**
 * Runs `fn` without the OS sandbox, the plugin fully trusted: for servers whose dependencies lie
 * outside their folder (the repo's hoisted node_modules), and for what bwrap's monitor changes.
 */
async function unsandboxed(fn: () => Promise<void>): Promise<void> {
  const before = process.env.PM_SANDBOX;
  process.env.PM_SANDBOX = 'node';
  try { await fn(); } finally { if (before === undefined) delete process.env.PM_SANDBOX; else process.env.PM_SANDBOX = before; }
}
const trusted = { fullTrust: { since: '2026-12-02' } };

describe('ServerProcess against real MCP servers', () => {
  it('lists and calls server-everything: echo answers, and nothing starts before the first use', () => unsandboxed(async () => {
    const dir = join(repoRoot, 'node_modules', '@modelcontextprotocol', 'server-everything');
    const { proc } = make(plugin('everything', dir, { command: process.execPath, args: ['${pluginDir}/dist/index.js', 'stdio'] }, trusted));
    expect(proc.stats()).toMatchObject({ state: 'idle', starts: 0 });
    const cat = await proc.catalog();
    expect(cat.tools.map((t) => t.name)).toContain('echo');
    expect(cat.resources.length).toBeGreaterThan(0);
    expect(cat.prompts.length).toBeGreaterThan(0);
    expect(text(await proc.callTool('echo', { message: 'hi' }))).toBe('Echo: hi');
    expect(proc.stats()).toMatchObject({ state: 'running', starts: 1, crashes: 0, counters: { calls: 1 }, latency: { count: 1 } });
    expect(await proc.health()).toEqual({ ok: true });
    const uri = cat.resources[0]!.uri;
    expect((await proc.readResource(uri)).contents[0]).toMatchObject({ uri });
  }));

  it('lists and calls server-memory, which keeps its graph in the data folder', () => unsandboxed(async () => {
    const dir = join(repoRoot, 'node_modules', '@modelcontextprotocol', 'server-memory');
    const hp = plugin('memory', dir, { command: process.execPath, args: ['${pluginDir}/dist/index.js'], env: { MEMORY_FILE_PATH: '${dataDir}/memory.jsonl' } }, trusted);
    const { proc } = make(hp);
    const cat = await proc.catalog();
    expect(cat.tools.map((t) => t.name)).toEqual(expect.arrayContaining(['create_entities', 'read_graph']));
    await proc.callTool('create_entities', { entities: [{ name: 'Ada', entityType: 'person', observations: ['wrote notes'] }] });
    const graph = await proc.callTool('read_graph', {});
    expect(text(graph)).toContain('Ada');
  }));

  it('pages through tools/list and skips lists the server does not announce', async () => {
    const { proc } = make(steerable(['--pages=4']));
    const cat = await proc.catalog();
    expect(cat.tools).toHaveLength(STEERABLE_TOOLS);
    expect(cat.resources).toEqual([]);
    expect(cat.prompts.map((p) => p.name)).toEqual(['greet']);
    expect(await proc.getPrompt('greet', { who: 'Ada' })).toMatchObject({ messages: [{ content: { text: 'Hello, Ada' } }] });
  });

  it('passes progress notifications through to onProgress', async () => {
    const { proc } = make(steerable());
    const seen: unknown[] = [];
    const r = await proc.callTool('progress', {}, { onProgress: (p) => seen.push(p) });
    expect(text(r)).toBe('done');
    expect(seen).toEqual([1, 2, 3].map((i) => ({ progress: i, total: 3, message: `step ${i}` })));
  });

  it('cancels a call when the caller aborts: the server gets notifications/cancelled and the call fails CANCELLED', async () => {
    const { proc } = make(steerable());
    const ac = new AbortController();
    const call = proc.callTool('wait', {}, { signal: ac.signal, onProgress: () => ac.abort() });
    await expect(call).rejects.toMatchObject({ code: 'CANCELLED' });
    const ids = JSON.parse(text(await proc.callTool('cancelled', {}))) as number[];
    expect(ids).toHaveLength(1);
    expect(proc.stats()).toMatchObject({ state: 'running', starts: 1, counters: { cancelled: 1 } });
  });

  it('relays list_changed and re-reads only then: catalog() shows the new tool', async () => {
    const { proc, changed } = make(steerable());
    expect((await proc.catalog()).tools).toHaveLength(STEERABLE_TOOLS);
    await proc.callTool('change', { add: 'later' });
    await eventually(() => changed.includes('tools'), 'the list_changed');
    expect((await proc.catalog()).tools.map((t) => t.name)).toContain('later');
  });

  it('drops stderr over the output budget and says so in the log', async () => {
    const { proc, logs } = make(steerable(), { outputBytesPerSec: 1024 });
    await proc.callTool('stderr', { line: 'x'.repeat(100), repeat: 100 });
    await eventually(() => logs.some((l) => l.startsWith('warn: output over 1 KiB/s')), 'the drop notice');
    expect(logs.filter((l) => l.startsWith('stderr: ')).length).toBeLessThan(100);
  });

  it('declares no client capabilities: sampling, elicitation and roots requests from the server are refused, the server goes on', async () => {
    const { proc } = make(steerable());
    for (const method of ['sampling/createMessage', 'elicitation/create', 'roots/list']) {
      const answer = JSON.parse(text(await proc.callTool('ask', { method, params: { messages: [], maxTokens: 1, message: 'x', requestedSchema: { type: 'object', properties: {} } } })));
      expect(answer).toEqual({ error: { code: -32601, message: 'Method not found' } });
    }
    expect(text(await proc.callTool('echo', { text: 'still here' }))).toBe('still here');
    expect(proc.stats()).toMatchObject({ starts: 1, crashes: 0 });
  });

  it('sends stderr lines to the plugin log', async () => {
    const { proc, logs } = make(steerable());
    await proc.callTool('stderr', { line: 'a diagnostic from the server' });
    await eventually(() => logs.includes('stderr: a diagnostic from the server'), 'the stderr line');
  });
});

describe('ServerProcess environment', () => {
  it('a variable set in pm\'s environment but not declared is not seen by the server; declared ones, server.env and PM_* are', async () => {
    const env = { ...process.env, PM_TEST_UNDECLARED: 'leak', PM_TEST_DECLARED: 'ok' };
    const hp = steerable([], {}, { env: { FROM_MANIFEST: 'x-${dataDir}' } });
    hp.manifest.permissions = { env: ['PM_TEST_DECLARED'] };
    const { proc } = make(hp, { env });
    const names = JSON.parse(text(await proc.callTool('env', {}))) as string[];
    expect(names).not.toContain('PM_TEST_UNDECLARED');
    expect(names).toEqual(expect.arrayContaining(['PM_TEST_DECLARED', 'FROM_MANIFEST', 'PM_PLUGIN_DIR', 'PM_DATA_DIR', 'PATH']));
    expect(JSON.parse(text(await proc.callTool('env', { name: 'PM_TEST_UNDECLARED' })))).toEqual({ PM_TEST_UNDECLARED: null });
  });

  it('substitutes a secret into the server\'s environment', async () => {
    const hp = steerable([], { secrets: { API_KEY: 's3cret-value' } }, { env: { API_KEY: '${secret.API_KEY}' } });
    const { proc, logs } = make(hp);
    expect(JSON.parse(text(await proc.callTool('env', { name: 'API_KEY' })))).toEqual({ API_KEY: 's3cret-value' });
    // Whatever the server prints, its secret does not reach pm's log.
    await proc.callTool('stderr', { line: 'my key is s3cret-value' });
    await eventually(() => logs.includes('stderr: my key is ***'), 'the redacted line');
    expect(logs.join('\n')).not.toContain('s3cret-value');
  });

  it('refuses to start when a referenced secret is missing, without counting a crash', async () => {
    const { proc } = make(steerable([], {}, { env: { API_KEY: '${secret.API_KEY}' } }));
    await expect(proc.callTool('echo', {})).rejects.toMatchObject({ code: 'SECRET_MISSING', hint: 'pm secret-set API_KEY' });
    expect(proc.stats()).toMatchObject({ state: 'idle', starts: 0, crashes: 0 });
  });

  it('refuses a command that is not on PATH, naming it', async () => {
    const { proc } = make(steerable([], {}, { command: 'pm-no-such-program' }));
    await expect(proc.catalog()).rejects.toMatchObject({ code: 'SERVER_COMMAND_NOT_FOUND', message: 'the server command "pm-no-such-program" is not on PATH' });
  });
});

describe('ServerProcess failures', () => {
  it('kills and reports a server that never answers initialize', async () => {
    const { proc } = make(steerable(['--never-init']), { startTimeoutMs: 300 });
    await expect(proc.catalog()).rejects.toMatchObject({
      code: 'PLUGIN_START_FAILED', message: 'server plugin steer failed to start: it did not answer initialize and the lists within 300 ms',
    });
    expect(proc.stats()).toMatchObject({ state: 'idle', crashes: 1 });
  });

  it('reports a server that exits during start with its exit code', async () => {
    const { proc } = make(steerable(['--exit-at-start=7']));
    await expect(proc.catalog()).rejects.toMatchObject({ code: 'PLUGIN_START_FAILED', message: 'server plugin steer failed to start: server plugin steer exited unexpectedly (code 7)' });
  });

  it('treats garbage on stdout as that server\'s crash: logged once, the call fails, the next call restarts it', async () => {
    const { proc, logs } = make(steerable());
    await expect(proc.callTool('garbage', {})).rejects.toMatchObject({ code: 'PLUGIN_CRASHED', message: expect.stringContaining('server plugin steer was stopped: it broke the MCP protocol on stdout') });
    expect(logs.filter((l) => l.includes('not MCP JSON-RPC'))).toHaveLength(1);
    expect(text(await proc.callTool('echo', { text: 'back' }))).toBe('back');
    expect(proc.stats()).toMatchObject({ starts: 2, crashes: 1, counters: { restarts: 1 } });
  });

  it('fails a start on garbage before initialize', async () => {
    const { proc } = make(steerable(['--garbage-at-start']));
    await expect(proc.catalog()).rejects.toMatchObject({ code: 'PLUGIN_START_FAILED', message: expect.stringContaining('broke the MCP protocol on stdout') });
  });

  // Unsandboxed: bwrap's monitor process holds the stdout pipe too, so inside bwrap the call timeout catches this instead.
  it('stops a server that closes its stdout but keeps running, as crashed', () => unsandboxed(async () => {
    const { proc } = make(steerable([], trusted), { graceMs: 100 });
    await expect(proc.callTool('close-stdout', {})).rejects.toMatchObject({ code: 'PLUGIN_CRASHED' });
    await eventually(() => proc.stats().crashes === 1, 'the kill');
    expect(proc.stats().lastError).toBe('server plugin steer was stopped: it closed its stdout');
    expect(text(await proc.callTool('echo', { text: 'fresh' }))).toBe('fresh');
  }));

  it('refuses a call over maxInFlight with PLUGIN_BUSY', async () => {
    const { proc } = make(steerable(), { maxInFlight: 1 });
    await proc.catalog();
    const hanging = proc.callTool('hang', {}, { timeoutMs: 60_000 });
    hanging.catch(() => {});
    await expect(proc.callTool('echo', {})).rejects.toMatchObject({ code: 'PLUGIN_BUSY', message: 'server plugin steer has too many calls in flight' });
  });

  it('restarts a server that stops answering ping when periodic health checks are on', async () => {
    const { proc, logs } = make(steerable(), { healthIntervalMs: 50, startTimeoutMs: 1500 });
    await proc.callTool('mute', {});
    await eventually(() => proc.stats().crashes === 1, 'the restart after a failed ping');
    expect(proc.stats().lastError).toMatch(/^server plugin steer was stopped: ping failed: /);
    expect(logs.some((l) => l.startsWith('warn: ping failed'))).toBe(true);
    expect(text(await proc.callTool('echo', { text: 'alive' }))).toBe('alive');
  });

  it('times a call out: kills the server, names the tool and the timeout, and restarts on the next call', async () => {
    const { proc } = make(steerable());
    await expect(proc.callTool('hang', {}, { timeoutMs: 200 })).rejects.toMatchObject({
      code: 'PLUGIN_TIMEOUT', message: 'tool steer.hang timed out after 200 ms; plugin steer was stopped and restarts on next use',
    });
    expect(text(await proc.callTool('echo', { text: 'again' }))).toBe('again');
    expect(proc.stats()).toMatchObject({ starts: 2, crashes: 1, counters: { timeouts: 1, restarts: 1 } });
  });

  it("does not take a server's own -32001 error for pm's timeout: the call fails with its message and the server keeps running", async () => {
    const { proc } = make(steerable());
    await expect(proc.callTool('fail', { code: -32001, message: 'the upstream API timed out' }, { timeoutMs: 30_000 })).rejects.toMatchObject({
      code: 'PLUGIN_ERROR', message: expect.stringContaining('the upstream API timed out'),
    });
    expect(text(await proc.callTool('echo', { text: 'still here' }))).toBe('still here');
    expect(proc.stats()).toMatchObject({ state: 'running', starts: 1, crashes: 0 });
    expect(proc.stats().counters.timeouts ?? 0).toBe(0);
  });

  it('restarts a crashed server, then marks it failed after maxCrashes: calls fail at once', async () => {
    const { proc, crashed, logs } = make(steerable(), { maxCrashes: 2 });
    await expect(proc.callTool('crash', { code: 3 })).rejects.toMatchObject({ code: 'PLUGIN_CRASHED', message: 'server plugin steer exited unexpectedly (code 3)' });
    await expect(proc.callTool('crash', { code: 4 })).rejects.toMatchObject({ code: 'PLUGIN_CRASHED' });
    expect(proc.state).toBe('failed');
    expect(crashed.map((c) => c.failed)).toEqual([false, true]);
    expect(logs).toContain('error: marked failed after 2 crashes; its calls now fail until it is re-enabled');
    await expect(proc.callTool('echo', {})).rejects.toMatchObject({
      code: 'PLUGIN_FAILED', message: 'server plugin steer is marked failed after 2 crashes (last: server plugin steer exited unexpectedly (code 4))',
    });
    expect(proc.stats()).toMatchObject({ starts: 2 });
    proc.reset();
    expect(text(await proc.callTool('echo', { text: 'fixed' }))).toBe('fixed');
  });
});

describe('ServerProcess stop', () => {
  it('stops a well-behaved server by closing its stdin', async () => {
    const { proc } = make(steerable());
    await proc.callTool('echo', {});
    await proc.stop();
    expect(proc.stats()).toMatchObject({ state: 'idle', crashes: 0 });
  });

  it('stops a server that ignores stdin close with SIGTERM, and one that ignores SIGTERM with SIGKILL, counting no crash', async () => {
    for (const flags of [['--ignore-stdin-close'], ['--ignore-stdin-close', '--ignore-sigterm']]) {
      const { proc } = make(steerable(flags), { graceMs: 200 });
      await proc.callTool('echo', {});
      await proc.stop();
      expect(proc.stats()).toMatchObject({ state: 'idle', crashes: 0 });
    }
  });

  it('stops an idle server after idleTimeoutMs and starts it again on the next call', async () => {
    const { proc } = make(steerable(), { idleTimeoutMs: 100 });
    await proc.callTool('echo', {});
    await eventually(() => proc.state === 'idle', 'the idle stop');
    expect(text(await proc.callTool('echo', { text: 'awake' }))).toBe('awake');
    expect(proc.stats()).toMatchObject({ starts: 2, crashes: 0 });
  });
});
