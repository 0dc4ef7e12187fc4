import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pm, tempDir } from '../helpers/pm.js';
import { notesPlugin } from '../helpers/store.js';

// A new user's walk through the store, through the real bin: signed install to uninstall --purge.
const tmp = await tempDir('pm-e2e-store-');
const home = join(tmp.dir, 'home');
const run = (...args: string[]) => pm([...args, '--home', home], { cwd: tmp.dir });
// The same commands where no OS sandbox runs: Node's permission model is the only layer.
const runFallback = (...args: string[]) => pm([...args, '--home', home], { cwd: tmp.dir, env: { PM_SANDBOX: 'node' } });
afterAll(() => tmp.cleanup());

beforeAll(async () => {
  expect((await run('keys-generate', '--name', 'Ada', '--email', 'ada@example.org')).exitCode).toBe(0);
  for (const v of ['1.0.0', '1.1.0']) {
    const src = await notesPlugin(join(tmp.dir, `notes-${v}`), v);
    expect((await pm(['plugin-package', src, '--home', home], { cwd: tmp.dir })).exitCode).toBe(0);
    expect((await run('plugin-sign', join(tmp.dir, `notes-${v}.tgz`))).exitCode).toBe(0);
  }
});

describe('the plugin store through pm', () => {
  it('installs a signed package and says who signed it', async () => {
    const r = await run('plugin-install', 'notes-1.0.0.tgz');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Installed notes@1\.0\.0, signed by Ada <ada@example\.org> \([0-9A-F]{40}\), enabled$/);
  });

  it('lists it, as a table and as JSON', async () => {
    const r = await run('plugin-list');
    expect(r.stdout.split('\n')[0]).toMatch(/^NAME\s+VERSION\s+STATE\s+SIGNED BY\s+SOURCE$/);
    expect(r.stdout).toMatch(/notes\s+1\.0\.0\s+enabled\s+Ada <ada@example\.org>\s+tgz /);
    const [row] = JSON.parse((await run('plugin-list', '--json')).stdout);
    expect(Object.keys(row).sort()).toEqual(['enabled', 'fullTrust', 'installedAt', 'linked', 'name', 'signer', 'signerUserIds', 'source', 'unsandboxed', 'updatedAt', 'version']);
    expect(row).toMatchObject({ name: 'notes', version: '1.0.0', enabled: true, linked: false, source: { type: 'tgz' } });
  });

  it('shows permissions in plugin-info, marking network as not enforced on this Node without an OS sandbox', async () => {
    const r = await runFallback('plugin-info', 'notes');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('notes.add — Add a note');
    expect(r.stdout).toContain(`  source:     tarball ${join(tmp.dir, 'notes-1.0.0.tgz')} sha512-`);
    expect(r.stdout).toContain('tool:before-call priority 5 match {"tool":"notes.*"}');
    const major = Number(process.versions.node.split('.')[0]);
    if (major < 25) expect(r.stdout).toMatch(/network\s+any host \(declared: api\.example\.org\) \[NOT ENFORCED\] not enforced/);
    expect(r.stdout).toMatch(/env\s+NOTES_TOKEN \[enforced\]/);
    const info = JSON.parse((await runFallback('plugin-info', 'notes', '--json')).stdout);
    expect(info).toMatchObject({ name: 'notes', version: '1.0.0', fullTrust: [], tools: [{ name: 'add' }], hooks: [{ event: 'tool:before-call', priority: 5 }] });
    expect(info.integrity).toMatch(/^sha512-/);
  });

  it('disables and enables it', async () => {
    expect((await run('plugin-disable', 'notes')).stdout).toBe('Disabled notes@1.0.0');
    expect((await run('plugin-disable', 'notes')).stdout).toBe('Already disabled: notes@1.0.0');
    expect((await run('plugin-enable', 'notes')).stdout).toBe('Enabled notes@1.0.0');
  });

  it('configures it within its schema and refuses invalid values with exit 3', async () => {
    expect((await run('plugin-config', 'notes')).stdout).toBe('maxNotes = 100 (default)\ntitle = "Notes" (default)');
    expect((await run('plugin-config', 'notes', 'maxNotes', '25')).stdout).toBe('Set notes maxNotes = 25');
    expect((await run('plugin-config', 'notes', 'maxNotes')).stdout).toBe('25');
    const bad = await run('plugin-config', 'notes', 'maxNotes', 'lots');
    expect(bad.exitCode).toBe(3);
    expect(bad.stderr).toContain("error: invalid configuration for notes: 'maxNotes' must be integer");
    expect(bad.stderr).toContain('hint:');
  });

  it('updates it, keeping its data and configuration', async () => {
    await writeFile(join(home, 'data', 'notes', 'n.md'), 'mine\n');
    const r = await run('plugin-update', 'notes', 'notes-1.1.0.tgz');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Updated notes@1\.1\.0 \(was 1\.0\.0\), signed by Ada/);
    expect(await readFile(join(home, 'data', 'notes', 'n.md'), 'utf8')).toBe('mine\n');
    expect((await run('plugin-config', 'notes', 'maxNotes')).stdout).toBe('25');
    const down = await run('plugin-update', 'notes', 'notes-1.0.0.tgz');
    expect(down.exitCode).toBe(1);
    expect(down.stderr).toContain('hint: add --allow-downgrade');
  });

  it('says what to do next for a plugin that is not installed', async () => {
    const r = await run('plugin-enable', 'nope');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe("error: plugin \"nope\" is not installed\nhint: installed plugins: notes ('pm plugin-list')");
  });

  it('refuses an unsigned package with exit 4 and the way forward', async () => {
    const src = await notesPlugin(join(tmp.dir, 'loose'), '2.0.0');
    await pm(['plugin-package', src, '--out', join(tmp.dir, 'loose-pkg')], { cwd: tmp.dir });
    const r = await run('plugin-install', join(tmp.dir, 'loose-pkg', 'notes-2.0.0.tgz'));
    expect(r.exitCode).toBe(4);
    expect(r.stderr).toContain('error: notes-2.0.0.tgz is not signed');
    expect(r.stderr).toContain('--allow-unsigned');
  });

  it('uninstalls it with --purge, removing its data, and logs every step', async () => {
    const r = await run('plugin-uninstall', 'notes', '--purge');
    expect(r.stdout).toBe('Uninstalled notes@1.1.0 and removed its data');
    expect(existsSync(join(home, 'data', 'notes'))).toBe(false);
    expect((await run('plugin-list')).stdout).toBe("No plugins installed. Install one with 'pm plugin-install <dir|tgz|url>'.");
    const actions = (await readFile(join(home, 'logs', 'audit.log'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l).action);
    expect(actions).toEqual(['install', 'disable', 'enable', 'config', 'update', 'uninstall']);
    const doctor = JSON.parse((await run('doctor', '--json')).stdout);
    expect(doctor.checks.find((c: { name: string }) => c.name === 'store')).toMatchObject({ status: 'ok' });
  });

  it('links a development folder and lists it as linked', async () => {
    const dev = await notesPlugin(join(tmp.dir, 'dev'), '0.9.0');
    expect((await run('plugin-link', dev)).stdout).toBe(`Linked notes@0.9.0 to ${dev}, enabled`);
    expect((await run('plugin-list')).stdout).toContain(`linked ${dev}`);
  });

  it('warns at install and in plugin-info that childProcess is full trust where no OS sandbox runs', async () => {
    const src = await notesPlugin(join(tmp.dir, 'shell'), '1.0.0', { name: 'shell', permissions: { childProcess: true } });
    const r = await runFallback('plugin-install', src);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe('Installed shell@1.0.0, unsigned, enabled');
    expect(r.stderr).toContain("warning: shell asks for childProcess: that is full trust, it can run code outside the sandbox ('pm plugin-info shell')");
    const info = await runFallback('plugin-info', 'shell');
    expect(info.stdout).toMatch(/childProcess yes \[FULL TRUST\] full trust: a plugin with childProcess can run code outside the sandbox/);
  });

  it('says under bubblewrap that network is any host with filtering by host not enforced, and that childProcess stays inside the sandbox', async (t) => {
    const info = JSON.parse((await run('plugin-info', 'notes', '--json')).stdout);
    if (info.policy.sandbox.layer !== 'bwrap') t.skip(`bubblewrap does not run here: ${info.policy.sandbox.reason}`);
    expect(info.permissions.find((p: { permission: string }) => p.permission === 'network')).toMatchObject({ granted: 'any host (filtering by host not enforced)', enforcement: 'enforced' });
    const shell = await run('plugin-info', 'shell');
    expect(shell.stdout).toMatch(/sandbox\s+bubblewrap \[enforced\]/);
    expect(shell.stdout).toMatch(/childProcess yes \[enforced\] escapes Node's permission model; still inside the bubblewrap sandbox/);
  });
});
