import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { probeOsSandbox } from '../../../src/core/runtime/os-sandbox.js';
import { createHost, type Host } from '../../../src/host/host.js';
import type { HostPlugin } from '../../../src/host/manifest-types.js';
import { fixturePlugin, fixturesDir } from '../../helpers/host-plugins.js';
import { tempDir } from '../../helpers/pm.js';

// Every plugin process runs inside bubblewrap (DESIGN §5). Where bwrap is missing or cannot
// create namespaces these tests skip, and say so; the fallback has its own test below.
const facts = probeOsSandbox();
const why = `bubblewrap does not run here: ${facts.reason}`;
if (!facts.available) console.error(`\n*** SKIPPED: the OS sandbox tests. ${why}. The sandbox is NOT proven in this run. ***\n`);
const root = process.getuid?.() === 0;

const tmp = await tempDir('pm-os-sandbox-');
afterAll(() => tmp.cleanup());
const home = join(tmp.dir, 'home');
const pmHome = join(home, '.pm');
const key = join(home, '.ssh', 'id_rsa');
const keyring = join(pmHome, 'keys', 'private.key');
const neighbour = join(pmHome, 'data', 'notes', 'notes.txt');
const shared = join(home, 'shared');

let host: Host;
let listener: Server;
let port = 0;
const savedHome = process.env.HOME;

/** The hostile Python server under another name, with `permissions`. */
function hostilePython(name: string, permissions: Record<string, unknown>): HostPlugin {
  const dir = join(fixturesDir, 'servers', 'hostile-python');
  const manifest = JSON.parse(readFileSync(join(dir, 'plugin.json'), 'utf8')) as HostPlugin['manifest'];
  return { name, kind: 'server', dir, dataDir: join(pmHome, 'data', name), manifest: { ...manifest, name, permissions }, config: {}, enabled: true };
}

async function attempt(plugin: string, args: Record<string, unknown>): Promise<{ ok: boolean; error?: string; [k: string]: unknown }> {
  const r = await host.callTool(`${plugin}.attempt`, args);
  return JSON.parse((r.content[0] as { text: string }).text);
}
async function tool(name: string, args: Record<string, unknown>): Promise<{ ok: boolean; error?: string; content?: string }> {
  const r = await host.callTool(name, args);
  return JSON.parse((r.content[0] as { text: string }).text);
}

describe.skipIf(!facts.available)(facts.available ? 'the OS sandbox (bubblewrap) around every plugin process' : `the OS sandbox — SKIPPED: ${why}`, () => {
  beforeAll(async () => {
    for (const [file, text] of [[key, 'FAKE-SSH-KEY-MATERIAL'], [keyring, 'FAKE-PM-KEY-MATERIAL'], [neighbour, 'the neighbour\'s note'], [join(shared, 'doc.txt'), 'a declared document']] as const) {
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, text);
    }
    // Declared paths are judged against the user's home folder: the fake one.
    process.env.HOME = home;
    listener = createServer((s) => s.end('hello from the host'));
    await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
    port = (listener.address() as { port: number }).port;
    host = await createHost({
      home: pmHome,
      plugins: [
        hostilePython('jail', { env: ['HOSTILE_DECLARED'], fs: { read: ['~/shared'] }, memoryMb: 64 }),
        hostilePython('netted', { network: ['localhost'] }),
        fixturePlugin('hostile-child-process', pmHome),
        fixturePlugin('host-notes', pmHome),
      ],
      options: { env: { ...process.env, HOME: home, HOSTILE_SECRET: 'pm-serve-secret', HOSTILE_DECLARED: 'declared-value', NOTES_TOKEN: 'tok' }, log: () => {} },
    });
  }, 60_000);

  afterAll(async () => {
    await host?.close();
    listener?.close();
    process.env.HOME = savedHome;
  });

  it('stops a Python server reading ~/.ssh/id_rsa, PM_HOME/keys, another plugin\'s data and /etc/shadow', async () => {
    for (const path of [key, keyring, neighbour, '/etc/shadow']) {
      const r = await attempt('jail', { act: 'read', path });
      expect(r, path).toMatchObject({ ok: false, error: expect.stringMatching(/FileNotFoundError|PermissionError/) });
      expect(JSON.stringify(r)).not.toContain('MATERIAL');
    }
    // The home folder inside holds only the empty folders bwrap made to mount the granted ones.
    expect(await attempt('jail', { act: 'list', path: home })).toEqual({ ok: true, entries: ['.pm', 'shared'] });
  });

  it('stops a Python server writing outside its data folder (into the neighbour\'s data, its own plugin folder, the home folder)', async () => {
    for (const path of [join(pmHome, 'data', 'notes', 'planted.txt'), join(fixturesDir, 'servers', 'hostile-python', 'planted.txt')]) {
      expect(await attempt('jail', { act: 'write', path }), path).toMatchObject({ ok: false, error: expect.stringMatching(/No such file|Read-only file system|Permission/) });
    }
    // Elsewhere a write lands in the sandbox's own throw-away tmpfs, never on the disk.
    await attempt('jail', { act: 'write', path: join(home, 'planted.txt') });
    for (const path of [join(pmHome, 'data', 'notes', 'planted.txt'), join(fixturesDir, 'servers', 'hostile-python', 'planted.txt'), join(home, 'planted.txt')]) expect(existsSync(path), path).toBe(false);
    expect(readFileSync(neighbour, 'utf8')).toBe('the neighbour\'s note');
  });

  it('stops a Python server connecting to a listener on 127.0.0.1 and resolving a name without a network grant', async () => {
    expect(await attempt('jail', { act: 'connect', host: '127.0.0.1', port })).toMatchObject({ ok: false, error: expect.stringMatching(/unreachable|refused|OSError/i) });
    expect(await attempt('jail', { act: 'resolve', name: 'localhost' })).toMatchObject({ ok: false, error: expect.stringMatching(/gaierror/) });
  });

  it('stops a Python server reading a variable set in pm serve\'s environment but not declared', async () => {
    const r = await attempt('jail', { act: 'env', name: 'HOSTILE_SECRET' });
    expect(r).toMatchObject({ ok: true, value: null });
    expect(JSON.stringify(r)).not.toContain('pm-serve-secret');
  });

  it('stops a Python server\'s child process reading ~/.ssh/id_rsa (children stay in the sandbox)', async () => {
    const r = await attempt('jail', { act: 'spawn-read', path: key });
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/No such file/) });
  });

  it('stops a Python server allocating past its memory cap, and it goes on answering', async () => {
    expect(await attempt('jail', { act: 'alloc', mb: 256 })).toEqual({ ok: false, error: 'MemoryError' });
    expect(await attempt('jail', { act: 'alloc', mb: 8 })).toEqual({ ok: true, allocated_mb: 8 });
  });

  it.skipIf(root)(root ? 'stops a fork bomb at the process limit — SKIPPED: pm runs as root, whom the kernel exempts from RLIMIT_NPROC' : 'stops a fork bomb at the process limit (RLIMIT_NPROC), killing only the plugin\'s children', async () => {
    const r = await attempt('jail', { act: 'fork-bomb', count: 400 });
    expect(r.ok).toBe(true);
    expect(r.forked as number).toBeLessThan(128);
    expect(r.error).toMatch(/Resource temporarily unavailable/);
  });

  it('stops a module plugin whose childProcess escapes Node\'s permission model from reading ~/.ssh or connecting out', async () => {
    const r = await tool('hostile-child-process.cat', { path: key });
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/No such file/) });
    expect(await tool('hostile-child-process.cat', { path: keyring })).toMatchObject({ ok: false });
    expect(await tool('hostile-child-process.connect', { port })).toMatchObject({ ok: false, error: expect.stringMatching(/ENETUNREACH|ECONNREFUSED|EACCES/) });
  });

  it('grants what is declared: a declared path, a declared variable, the data folder, and the network when granted', async () => {
    expect(await attempt('jail', { act: 'read', path: join(shared, 'doc.txt') })).toEqual({ ok: true, content: 'a declared document' });
    expect(await attempt('jail', { act: 'env', name: 'HOSTILE_DECLARED' })).toMatchObject({ ok: true, value: 'declared-value' });
    expect(await attempt('jail', { act: 'write', path: join(pmHome, 'data', 'jail', 'own.txt') })).toMatchObject({ ok: true });
    expect(await attempt('netted', { act: 'connect', host: '127.0.0.1', port })).toEqual({ ok: true, received: 'hello from the host' });
    expect(await attempt('netted', { act: 'resolve', name: 'localhost' })).toMatchObject({ ok: true });
  });

  it('keeps every other plugin working, and the neighbour\'s data untouched, after all of it', async () => {
    const r = await host.callTool('notes.echo', { text: 'still here' });
    expect(r.content[0]).toEqual({ type: 'text', text: 'still here' });
    expect(await attempt('jail', { act: 'env', name: 'HOSTILE_DECLARED' })).toMatchObject({ ok: true });
    expect(readFileSync(neighbour, 'utf8')).toBe('the neighbour\'s note');
  });
});

describe('where no OS sandbox runs (PM_SANDBOX=node forces the fallback)', () => {
  let fallback: Host | undefined;
  const saved = process.env.PM_SANDBOX;
  beforeAll(() => { process.env.PM_SANDBOX = 'node'; });
  afterAll(async () => {
    await fallback?.close();
    if (saved === undefined) delete process.env.PM_SANDBOX; else process.env.PM_SANDBOX = saved;
  });

  it('stops a server plugin starting unsandboxed without full trust, and starts it with the recorded grant', async () => {
    const data = join(tmp.dir, 'fallback');
    fallback = await createHost({
      home: join(data, '.pm'),
      plugins: [hostilePython('untrusted', {}), { ...hostilePython('trusted', {}), fullTrust: { since: '2026-12-02T00:00:00.000Z' } }, fixturePlugin('host-notes', data)],
      options: { env: { ...process.env, NOTES_TOKEN: 'tok' }, log: () => {} },
    });
    await expect(fallback.callTool('untrusted.attempt', { act: 'env', name: 'X' })).rejects.toMatchObject({
      code: 'SERVER_UNSANDBOXED', message: expect.stringMatching(/untrusted cannot start: no OS sandbox \(PM_SANDBOX=node turns the OS sandbox off\): a server plugin starts only with full trust/),
    });
    const r = await fallback.callTool('trusted.attempt', { act: 'env', name: 'X' });
    expect(JSON.parse((r.content[0] as { text: string }).text)).toMatchObject({ ok: true });
    // Module plugins fall back to Node's permission model and keep working.
    expect((await fallback.callTool('notes.echo', { text: 'fallback' })).content[0]).toEqual({ type: 'text', text: 'fallback' });
  });
});
