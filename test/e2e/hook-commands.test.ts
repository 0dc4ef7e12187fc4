import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pm, tempDir } from '../helpers/pm.js';
import { fixturesDir } from '../helpers/host-plugins.js';

const tmp = await tempDir('pm-hook-e2e-');
const home = join(tmp.dir, 'home');
const run = (args: string[]) => pm([...args, '--home', home]);

beforeAll(async () => {
  // Installed as a new user would: two plugins with hooks and a hostile one beside them.
  for (const f of ['host-notes', 'host-audit', 'hostile-hook-crash']) {
    const r = await run(['plugin-install', join(fixturesDir, f)]);
    expect(r.exitCode, r.stderr).toBe(0);
  }
});
afterAll(() => tmp.cleanup());

describe('pm hook-stats before any host run', () => {
  it('says there are no stats yet, with exit 0, and an empty shape under --json', async () => {
    const r = await run(['hook-stats']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('No hook stats in the last 24h: pm serve and pm hook-run save them when they stop.');
    expect(JSON.parse((await run(['hook-stats', '--json'])).stdout)).toEqual({ window: '24h', since: expect.any(String), runs: 0, from: null, to: null, handlers: [], plugins: [] });
  });
});

describe('pm hook-list', () => {
  it('lists every event with its kind, emitter and handler count', async () => {
    const r = await run(['hook-list', '--json']);
    expect(r.exitCode).toBe(0);
    const { events } = JSON.parse(r.stdout) as { events: { event: string; kind: string; emittedBy: string[]; handlers: number }[] };
    const by = Object.fromEntries(events.map((e) => [e.event, e]));
    expect(events).toHaveLength(12);
    expect(by['tool:before-call']).toEqual({ event: 'tool:before-call', kind: 'guard', builtin: true, emittedBy: ['pm (before every tool call)'], handlers: 1 });
    expect(by['tool:after-call']).toMatchObject({ kind: 'filter', handlers: 2 });
    expect(by['plugin:installed']).toMatchObject({ kind: 'action', emittedBy: ['pm store (install)', 'pm store (update)', 'pm store (link)'], handlers: 0 });
    expect(by['plugin:disabled']).toMatchObject({ kind: 'action', emittedBy: ['pm store (disable)'] });
    expect(by['notes:created']).toEqual({ event: 'notes:created', kind: 'action', builtin: false, emittedBy: ['notes'], handlers: 1 });
    const human = await run(['hook-list']);
    expect(human.stdout.split('\n')[0]).toMatch(/^EVENT\s+KIND\s+HANDLERS\s+EMITTED BY$/);
    expect(human.stdout).toMatch(/notes:created\s+action\s+1\s+notes/);
  });
});

describe('pm hook-handlers', () => {
  it('lists one event\'s handlers in run order with plugin, priority and match', async () => {
    const r = await run(['hook-handlers', 'tool:after-call']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'tool:after-call (filter), in run order:',
      '#  PLUGIN              PRIORITY  MATCH',
      '1  hostile-hook-crash  1         *',
      '2  notes               20        notes.*',
    ]);
    const j = JSON.parse((await run(['hook-handlers', 'tool:before-call', '--json'])).stdout);
    expect(j).toEqual({ event: 'tool:before-call', kind: 'guard', handlers: [{ plugin: 'audit', priority: 5, timeoutMs: 5000 }] });
  });

  it('refuses an unknown event with exit 2 and points at hook-list', async () => {
    const r = await run(['hook-handlers', 'tool:before-cal']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: unknown hook event "tool:before-cal"');
    expect(r.stderr).toContain("hint: 'pm hook-list' shows every event");
    expect(r.stdout).toBe('');
  });
});

describe('pm hook-run', () => {
  it('shows a guard veto with who denied and why', async () => {
    const r = await run(['hook-run', 'tool:before-call', '--data', '{"tool":"notes.add","arguments":{"text":"forbidden"}}', '--json']);
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.denied).toEqual({ plugin: 'audit', reason: 'audit refuses forbidden text' });
    expect(out.handlers).toEqual([expect.objectContaining({ plugin: 'audit', priority: 5, outcome: 'denied', reason: 'audit refuses forbidden text' })]);
  });

  it('filters through the plugins; a crashing handler is recorded and skipped (fail-open) and changes nothing else', async () => {
    const r = await run(['hook-run', 'tool:after-call', '--tool', 'notes.echo', '--data', '{"content":[{"type":"text","text":"hi"}]}']);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('tool:after-call (filter) → {"content":[{"type":"text","text":"hi"},{"type":"text","text":"seen by notes (notes.echo)"}]}');
    expect(lines[2]).toMatch(/^hostile-hook-crash\s+1\s+error\s+\S+ (µs|ms)\s+hostile-hook-crash: plugin hostile-hook-crash exited unexpectedly \(code 9\)$/);
    expect(lines[3]).toMatch(/^notes\s+20\s+ok\s+\S+ (µs|ms)$/);
    // The host's own log line for the failure went to stderr, tagged with the plugin.
    expect(r.stderr).toContain('[hostile-hook-crash] warn: hook tool:after-call failed: plugin hostile-hook-crash exited unexpectedly (code 9)');
  });

  it('skips handlers whose match does not fit the tool, without starting their plugin', async () => {
    const r = await run(['hook-run', 'tool:after-call', '--tool', 'other.tool', '--data', '{"content":[]}', '--json']);
    const out = JSON.parse(r.stdout);
    expect(out.value).toEqual({ content: [] });
    expect(out.handlers.map((h: { plugin: string; outcome: string }) => [h.plugin, h.outcome])).toEqual([['hostile-hook-crash', 'error'], ['notes', 'skipped']]);
  });

  it('persists stats on exit and sums the three hook-runs above: only the hostile plugin has errors', async () => {
    const s = JSON.parse((await run(['hook-stats', '--json'])).stdout);
    expect(s.to).toEqual(expect.any(String));
    const by = Object.fromEntries(s.handlers.map((h: { plugin: string; event: string }) => [`${h.plugin} ${h.event}`, h]));
    // Each hook-run is its own host run; none replaces the figures of another.
    expect(by['hostile-hook-crash tool:after-call']).toMatchObject({ calls: 2, errors: 2 });
    expect(by['notes tool:after-call']).toMatchObject({ calls: 1, errors: 0, skipped: 1 });
    expect(by['audit tool:before-call']).toMatchObject({ calls: 1, errors: 0, denied: 1 });
    expect(s.runs).toBeGreaterThanOrEqual(3);
    const human = await run(['hook-stats']);
    expect(human.stdout).toMatch(/^Hook stats: \d+ runs? in the last 24h \(/);
    expect(human.stdout).toMatch(/tool:after-call\s+hostile-hook-crash\s+2\s+2\s+0\s+0\s+0\s+\d+\.\d ms/);
    expect(existsSync(join(home, 'stats', 'hooks.json'))).toBe(true);
  });

  it('refuses --data that is not JSON with exit 2, without touching the stats', async () => {
    const before = await readFile(join(home, 'stats', 'hooks.json'), 'utf8');
    const r = await run(['hook-run', 'tool:after-call', '--data', '{nope']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: --data is not valid JSON:');
    expect(r.stderr).toContain('hint: quote it for your shell');
    expect(await readFile(join(home, 'stats', 'hooks.json'), 'utf8')).toBe(before);
  });

  it('refuses an unknown event with exit 2', async () => {
    const r = await run(['hook-run', 'nope:event', '--data', '1']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: unknown hook event "nope:event"');
  });

  it('runs only enabled plugins: a disabled guard no longer vetoes', async () => {
    expect((await run(['plugin-disable', 'audit'])).exitCode).toBe(0);
    const r = await run(['hook-run', 'tool:before-call', '--data', '{"tool":"notes.add","arguments":{"text":"forbidden"}}', '--json']);
    const out = JSON.parse(r.stdout);
    expect(out.denied).toBeUndefined();
    expect(out.handlers).toEqual([]);
    expect((await run(['plugin-enable', 'audit'])).exitCode).toBe(0);
  });
});
