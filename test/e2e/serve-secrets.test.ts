// A secret reaches the server plugin that references it, and no other, through the real
// pm serve --mcp; its value then appears nowhere pm writes: stdout/stderr of the commands,
// logs (serve.log, audit.log), stats or --json output, even when the server prints it.
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectStdio, type StdioSession } from '../helpers/serve.js';
import { makePin, writePin } from '../../src/core/store/pins.js';
import { pm, repoRoot, tempDir } from '../helpers/pm.js';

const USED = 'used-secret-4f3e2d1c';
const OTHER = 'other-secret-9a8b7c6d';
const LATE = 'late-secret-1b2c3d4e';
const text = (r: unknown) => (r as { content: { text: string }[] }).content[0]!.text;

const tmp = await tempDir('pm-serve-secrets-');
const home = join(tmp.dir, 'home');
let s: StdioSession;

/** The steerable fixture server installed as `name`, with `env` in its server spec. */
async function installServer(name: string, env: Record<string, string>): Promise<void> {
  const dir = join(tmp.dir, name);
  await cp(join(repoRoot, 'test', 'fixtures', 'servers', 'steerable'), dir, { recursive: true });
  const m = JSON.parse(await readFile(join(dir, 'plugin.json'), 'utf8'));
  await writeFile(join(dir, 'plugin.json'), JSON.stringify({ ...m, name, server: { ...m.server, env } }));
  const r = await pm(['plugin-install', dir, '--home', home]);
  expect(r.exitCode, r.stderr).toBe(0);
  // The two tools this test calls, pinned as a first start would record them (pins are not this test's subject).
  await writePin(home, makePin(name, '1.0.0', ['env', 'stderr'].map((t) => ({ name: t, description: `the ${t} tool`, inputSchema: { type: 'object' } }))));
}

beforeAll(async () => {
  for (const [name, value] of [['USED_TOKEN', USED], ['OTHER_TOKEN', OTHER]]) {
    const r = await pm(['secret-set', name!, '--home', home], { input: value });
    expect(r.exitCode, r.stderr).toBe(0);
  }
  await installServer('vault', { TOKEN: '${secret.USED_TOKEN}' });
  await installServer('plain', { MODE: 'plain' });
  await installServer('late', { TOKEN: '${secret.LATE_TOKEN}' });
  s = await connectStdio(home, ['--log-level', 'debug']);
}, 60_000);
afterAll(async () => {
  await s?.close();
  await tmp.cleanup();
});

/** The whole environment the server process was started with, as KEY=value lines. */
async function serverEnv(plugin: string): Promise<string> {
  const keys = JSON.parse(text(await s.client.callTool({ name: `${plugin}__env`, arguments: {} }))) as string[];
  const lines: string[] = [];
  for (const k of keys) lines.push(`${k}=${JSON.parse(text(await s.client.callTool({ name: `${plugin}__env`, arguments: { name: k } })))[k]}`);
  return lines.join('\n');
}

describe('secrets in pm serve', () => {
  it('reach the server whose spec references them, and no other secret reaches any server', async () => {
    const vault = await serverEnv('vault');
    expect(vault).toContain(`TOKEN=${USED}`);
    expect(vault).not.toContain(OTHER);
    const plain = await serverEnv('plain');
    expect(plain).not.toContain(USED);
    expect(plain).not.toContain(OTHER);
  });

  it('are masked when the server prints its environment to stderr', async () => {
    // The server prints what it was given: the line pm logs must not hold the value.
    await s.client.callTool({ name: 'vault__stderr', arguments: { line: 'printing it: ' + ['used', 'secret', '4f3e2d1c'].join('-') } });
    await expect.poll(() => s.stderr()).toContain('printing it: ***');
  });

  it('set while pm serve runs, reach the server on its next start without restarting pm', async () => {
    const before = await s.client.callTool({ name: 'late__env', arguments: { name: 'TOKEN' } });
    expect(before.isError).toBe(true);
    expect(text(before)).toContain('no secret LATE_TOKEN is set');
    expect((await pm(['secret-set', 'LATE_TOKEN', '--home', home], { input: LATE })).exitCode).toBe(0);
    await expect.poll(async () => {
      const r = await s.client.callTool({ name: 'late__env', arguments: { name: 'TOKEN' } });
      return r.isError ? text(r) : JSON.parse(text(r)).TOKEN;
    }, { timeout: 20_000 }).toBe(LATE);
  });

  it('appear nowhere pm wrote after the run: stderr, logs, audit, stats, --json', async () => {
    await s.close();
    const outputs = [s.stderr()];
    for (const args of [['stats', '--json'], ['stats'], ['plugin-info', 'vault', '--json'], ['plugin-list', '--json'], ['secret-list', '--json'], ['profile-list', '--json']]) {
      const r = await pm([...args, '--home', home]);
      outputs.push(r.stdout, r.stderr);
    }
    for (const e of await readdir(home, { withFileTypes: true, recursive: true })) {
      if (e.isFile() && !(e.name === 'secrets.json' && e.parentPath === home)) outputs.push(await readFile(join(e.parentPath, e.name), 'utf8'));
    }
    const all = outputs.join('\n');
    expect(all).toContain('vault');
    expect(all).not.toContain(USED);
    expect(all).not.toContain(OTHER);
    expect(all).not.toContain(LATE);
  });
});
