import { describe, expect, it } from 'vitest';
import { DEFAULT_SUPERVISOR_OPTIONS, type SupervisorOptions } from '../../../../src/host/process/options.js';
import { PluginProcess } from '../../../../src/host/process/plugin-process.js';
import { fakeLauncher, type FakePlugin } from '../../../helpers/fake-launcher.js';
import { eventually } from '../../../helpers/host-plugins.js';

const echo: FakePlugin = { tools: { echo: (args) => args } };

function make(plugin: FakePlugin, options: Partial<SupervisorOptions> = {}) {
  const launcher = fakeLauncher(plugin);
  const logs: string[] = [];
  const proc = new PluginProcess(
    { name: 'p', kind: 'module', dir: '/plugins/p', dataDir: '/data/p', manifest: { name: 'p', version: '1.0.0', description: 'p' }, config: { a: 1 } },
    { ...DEFAULT_SUPERVISOR_OPTIONS, idleTimeoutMs: 0, backoffMs: 20, graceMs: 100, env: {}, ...options },
    { callTool: async () => null, emit: async () => {}, log: (_p, level, message) => logs.push(`${level}: ${message}`) },
    launcher,
  );
  return { proc, launcher, logs };
}

describe('PluginProcess (state machine over a fake launcher)', () => {
  it('starts no process until the first call, then launches once, sends init with activate and the real dirs, and runs', async () => {
    const { proc, launcher } = make(echo, { memoryMb: 77, pmHome: '/home/u/.pm' });
    expect(proc.stats()).toMatchObject({ state: 'idle', starts: 0 });
    expect(launcher.launched).toHaveLength(0);
    expect(await proc.callTool('echo', { x: 1 })).toEqual({ x: 1 });
    expect(await proc.callTool('echo', { x: 2 })).toEqual({ x: 2 });
    expect(launcher.launched).toHaveLength(1);
    expect(launcher.launched[0]!.spec).toMatchObject({ memoryMb: 77, pmHome: '/home/u/.pm', env: {} });
    expect(launcher.launched[0]!.inits).toEqual([{ name: 'p', version: '1.0.0', dir: '/fake/p', main: 'index.js', dataDir: '/fake/data/p', config: { a: 1 }, activate: true }]);
    expect(proc.stats()).toMatchObject({ state: 'running', starts: 1, crashes: 0, pid: 1000, counters: { calls: 2 } });
  });

  it('reports a crash to the call in flight, waits the backoff, and restarts on the next call', async () => {
    const { proc, launcher } = make({ tools: { ...echo.tools, hang: () => new Promise(() => {}) } }, { backoffMs: 80 });
    await proc.callTool('echo', {});
    const pending = proc.callTool('hang', {});
    launcher.launched[0]!.exit(1);
    await expect(pending).rejects.toMatchObject({ code: 'PLUGIN_CRASHED', message: 'plugin p exited unexpectedly (code 1)' });
    expect(proc.stats()).toMatchObject({ state: 'idle', crashes: 1, lastError: 'plugin p exited unexpectedly (code 1)' });
    const t0 = Date.now();
    expect(await proc.callTool('echo', { again: true })).toEqual({ again: true });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(70);
    expect(launcher.launched).toHaveLength(2);
    expect(proc.stats()).toMatchObject({ state: 'running', starts: 2, crashes: 1 });
  });

  it('marks the plugin failed after maxCrashes within the window: calls fail at once, nothing is launched, reset() clears it', async () => {
    const { proc, launcher, logs } = make(echo, { maxCrashes: 2, backoffMs: 1 });
    for (let i = 0; i < 2; i++) {
      await proc.callTool('echo', {});
      launcher.launched[i]!.exit(null, 'SIGSEGV');
      await eventually(() => proc.stats().crashes === i + 1, 'the crash');
    }
    expect(proc.state).toBe('failed');
    expect(logs).toContain('error: marked failed after 2 crashes; its calls now fail until pm restarts');
    await expect(proc.callTool('echo', {})).rejects.toMatchObject({
      code: 'PLUGIN_FAILED', message: 'plugin p is marked failed after 2 crashes (last: plugin p exited unexpectedly (signal SIGSEGV))',
      // Not 'pm plugin-enable' again: that answers "Already enabled" and changes nothing (issue 13.9).
      hint: "fix the plugin, then run 'pm plugin-enable p': a running pm serve restarts it",
    });
    expect(launcher.launched).toHaveLength(2);
    proc.reset();
    expect(await proc.callTool('echo', { ok: 1 })).toEqual({ ok: 1 });
    expect(launcher.launched).toHaveLength(3);
  });

  it('kills a process that does not answer within the call timeout, counts it, and starts a fresh one next', async () => {
    const { proc, launcher } = make({ tools: { ...echo.tools, hang: () => new Promise(() => {}) } });
    await expect(proc.callTool('hang', {}, { timeoutMs: 40 })).rejects.toMatchObject({
      code: 'PLUGIN_TIMEOUT', message: 'tool p.hang timed out after 40 ms; plugin p was stopped and restarts on next use',
    });
    expect(launcher.launched[0]!.killed).toBe(true);
    expect(await proc.callTool('echo', { n: 2 })).toEqual({ n: 2 });
    expect(launcher.launched).toHaveLength(2);
    expect(proc.stats()).toMatchObject({ crashes: 1, counters: { timeouts: 1 } });
    // The start after the kill is a restart (pm.plugin.process.restarts); the first start was not.
    expect(proc.stats().counters.restarts).toBe(1);
  });

  it('stops after the idle time (deactivate, no crash) and starts again on the next call', async () => {
    let deactivated = 0;
    const { proc, launcher } = make({ ...echo, deactivate: () => { deactivated++; } }, { idleTimeoutMs: 30 });
    await proc.callTool('echo', {});
    await eventually(() => proc.state === 'idle', 'the idle stop');
    expect(deactivated).toBe(1);
    expect(launcher.launched[0]!.hasExited).toBe(true);
    expect(launcher.launched[0]!.killed).toBe(false);
    await proc.callTool('echo', {});
    expect(proc.stats()).toMatchObject({ state: 'running', starts: 2, crashes: 0 });
  });

  it('shuts down gracefully: deactivate, close, exit; a process that lingers past the grace period is killed', async () => {
    const polite = make(echo);
    await polite.proc.callTool('echo', {});
    await polite.proc.stop();
    expect(polite.proc.state).toBe('idle');
    expect(polite.launcher.launched[0]!.killed).toBe(false);

    const stubborn = make({ ...echo, deactivate: () => false }, { graceMs: 30 });
    await stubborn.proc.callTool('echo', {});
    await stubborn.proc.stop();
    expect(stubborn.launcher.launched[0]!.killed).toBe(true);
    expect(stubborn.proc.stats()).toMatchObject({ state: 'idle', crashes: 0 });
  });

  it('fails a start whose activate() throws, or whose runner never says ready within startTimeoutMs, and counts it', async () => {
    const bad = make({ activate: () => { throw new Error('no config'); } });
    await expect(bad.proc.callTool('x', {})).rejects.toMatchObject({ code: 'PLUGIN_START_FAILED', message: expect.stringContaining('plugin p failed to start: no config') });
    expect(bad.proc.stats()).toMatchObject({ state: 'idle', crashes: 1 });

    const mute = make({ ready: false }, { startTimeoutMs: 30 });
    await expect(mute.proc.callTool('x', {})).rejects.toMatchObject({ code: 'PLUGIN_START_FAILED', message: 'plugin p failed to start: no answer within 30 ms' });
    expect(mute.launcher.launched[0]!.killed).toBe(true);
  });

  it('refuses to run a plugin whose healthCheck() fails right after activate', async () => {
    const { proc } = make({ ...echo, healthCheck: () => ({ ok: false, detail: 'db down' }) });
    await expect(proc.callTool('echo', {})).rejects.toMatchObject({ code: 'PLUGIN_UNHEALTHY', message: 'plugin p failed to start: healthCheck() after activate said: db down' });
  });

  it('kills a running plugin whose periodic healthCheck() fails, and starts a fresh one on the next call', async () => {
    let healthy = true;
    const { proc, launcher, logs } = make({ ...echo, healthCheck: () => ({ ok: healthy, detail: healthy ? 'fine' : 'db down' }) }, { healthIntervalMs: 20 });
    await proc.callTool('echo', {});
    healthy = false;
    await eventually(() => launcher.launched[0]!.killed, 'the kill after a failed health check');
    expect(logs).toContain('warn: healthCheck failed (db down); restarting');
    await eventually(() => proc.stats().crashes === 1, 'the crash being counted');
    healthy = true;
    expect(await proc.callTool('echo', { n: 1 })).toEqual({ n: 1 });
    expect(launcher.launched).toHaveLength(2);
  });
});
