import { expect } from 'vitest';

interface Step {
  name: string;
  got: { ok: boolean; code?: string; message?: string; result?: { content: { text: string }[] }; [k: string]: unknown };
  notesAnswered: boolean;
}
export interface ScenarioReport {
  node: string;
  steps: Step[];
  echoes: number;
  stats: { name: string; state: string; crashes: number; errors: number }[];
  logs: string[];
}

const denied = (plugin: string) => new RegExp(`^${plugin}: Access to this API has been restricted`);

type Got = Step['got'];

function stepOf(r: ScenarioReport, name: string): Got {
  const s = r.steps.find((x) => x.name === name);
  if (!s) throw new Error(`scenario ${name} did not run`);
  return s.got;
}

/** What the hostile-read-ssh plugin reported about its own process (Node version, permission model). */
export function pluginProcess(r: ScenarioReport): { node: string; permissionModel: boolean; mayReadKey: boolean } {
  const got = stepOf(r, 'whoami');
  if (!got.ok) throw new Error(`whoami failed: ${got.code} ${got.message}`);
  return JSON.parse(got.result!.content[0]!.text);
}

/**
 * The assertions every Node version must pass, named after what each stops (shared by the
 * Node 20 and Node 24 tests).
 */
export const hostileChecks: Record<string, (r: ScenarioReport) => void> = {
  'starts every plugin inside the permission model of the host\'s Node (the plugin itself is denied the key)': (r) => {
    expect(pluginProcess(r)).toEqual({ node: r.node, permissionModel: true, mayReadKey: false });
  },
  'a well-behaved plugin keeps answering after every hostile act': (r) => {
    expect(r.steps.every((s) => s.notesAnswered)).toBe(true);
    expect(r.echoes).toBe(r.steps.length);
    expect(r.stats.find((s) => s.name === 'notes')).toMatchObject({ state: 'running', crashes: 0, errors: 0 });
  },
  'stops reading a private key outside the plugin folders (~/.ssh/id_ed25519)': (r) => {
    const got = stepOf(r, 'read-ssh');
    expect(got).toMatchObject({ ok: false, code: 'ERR_ACCESS_DENIED', message: expect.stringMatching(denied('hostile-read-ssh')) });
    expect(JSON.stringify(got)).not.toContain('fake-key-material');
  },
  'stops writing outside the data folder, and allows writing inside it': (r) => {
    expect(stepOf(r, 'write-outside')).toMatchObject({ ok: false, code: 'ERR_ACCESS_DENIED', fileExists: false, message: expect.stringMatching(denied('hostile-write-outside')) });
    expect(stepOf(r, 'write-inside')).toMatchObject({ ok: true, result: { content: [{ text: 'written inside' }] } });
  },
  'stops spawning a process without the childProcess grant': (r) => {
    expect(stepOf(r, 'spawn')).toMatchObject({ ok: false, code: 'ERR_ACCESS_DENIED', message: expect.stringMatching(denied('hostile-spawn')) });
  },
  'stops starting a worker without the worker grant': (r) => {
    expect(stepOf(r, 'worker')).toMatchObject({ ok: false, code: 'ERR_ACCESS_DENIED', message: expect.stringMatching(denied('hostile-worker')) });
  },
  'stops process._debugProcess(ppid) from opening an inspector on the host': (r) => {
    // Node lets the signal through; the host ignores SIGUSR1, so no inspector opens on it.
    expect(stepOf(r, 'debug-host')).toMatchObject({ ok: true, hostInspectorUrl: null });
  },
  'stops reading undeclared environment variables (only declared ones pass)': (r) => {
    const env = JSON.parse(stepOf(r, 'env').result!.content[0]!.text) as { secret: unknown; all: Record<string, string> };
    expect(env.secret).toBeNull();
    expect(env.all).toEqual({ HOSTILE_ALLOWED: 'yes' });
  },
  'stops an endless loop with a timeout error, a kill and a restart on next use': (r) => {
    expect(stepOf(r, 'loop')).toMatchObject({
      ok: false, code: 'PLUGIN_TIMEOUT',
      message: 'tool hostile-loop.spin timed out after 1500 ms; plugin hostile-loop was stopped and restarts on next use',
    });
    expect(stepOf(r, 'loop-restarted')).toMatchObject({ ok: true, result: { content: [{ text: expect.stringMatching(/^pong from \d+$/) }] } });
  },
  'stops allocation past the memory cap with an out-of-memory error': (r) => {
    expect(stepOf(r, 'oom')).toMatchObject({ ok: false, code: 'PLUGIN_OUT_OF_MEMORY', message: 'plugin hostile-oom ran out of memory (limit 32 MiB) and was stopped' });
  },
  'stops retrying a plugin that crashes on activate: failed after 3, then fails fast': (r) => {
    for (const i of [1, 2]) {
      expect(stepOf(r, `crash-activate-${i}`)).toMatchObject({ ok: false, code: 'PLUGIN_START_FAILED', message: 'plugin hostile-crash-activate failed to start: activate() threw: cannot open the database' });
    }
    expect(stepOf(r, 'crash-activate-3')).toMatchObject({ ok: false, code: 'PLUGIN_START_FAILED', message: expect.stringContaining('marked failed after 3 crashes') });
    expect(stepOf(r, 'crash-activate-4')).toMatchObject({ ok: false, code: 'PLUGIN_FAILED', message: expect.stringContaining('plugin hostile-crash-activate is marked failed after 3 crashes') });
    expect(r.stats.find((s) => s.name === 'hostile-crash-activate')).toMatchObject({ state: 'failed', crashes: 3 });
  },
  'stops restarting a plugin that crashes on every call: failed after 3, then fails fast': (r) => {
    for (const i of [1, 2, 3]) {
      expect(stepOf(r, `crash-call-${i}`)).toMatchObject({ ok: false, code: 'PLUGIN_CRASHED', message: 'plugin hostile-crash-call exited unexpectedly (code 7)' });
    }
    expect(stepOf(r, 'crash-call-4')).toMatchObject({ ok: false, code: 'PLUGIN_FAILED', message: expect.stringContaining('is marked failed after 3 crashes') });
    expect(r.stats.find((s) => s.name === 'hostile-crash-call')).toMatchObject({ state: 'failed', crashes: 3 });
  },
  'stops garbage on the host channel (fd 3) from taking down the host: that plugin crashes, then is failed': (r) => {
    const stopped = (why: string) => `plugin garbage was stopped: it broke the host protocol: ${why}`;
    expect(stepOf(r, 'channel-not-json')).toMatchObject({ ok: false, code: 'PLUGIN_CRASHED', message: stopped('sent a line that is not JSON ("this is not json")') });
    expect(stepOf(r, 'channel-huge')).toMatchObject({ ok: false, code: 'PLUGIN_CRASHED', message: stopped('sent a message longer than 16777216 bytes') });
    expect(stepOf(r, 'channel-half-then-exit')).toMatchObject({ ok: false, code: 'PLUGIN_CRASHED', message: 'plugin garbage exited unexpectedly (code 0)' });
    expect(stepOf(r, 'channel-failed')).toMatchObject({ ok: false, code: 'PLUGIN_FAILED' });
    expect(r.stats.find((s) => s.name === 'garbage')).toMatchObject({ state: 'failed', crashes: 3 });
  },
};
