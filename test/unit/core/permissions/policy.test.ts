import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolvePolicy, type PlatformFacts } from '../../../../src/core/permissions/policy.js';

const paths = { pluginDir: '/home/u/.pm/plugins/notes', dataDir: '/home/u/.pm/data/notes', pmHome: '/home/u/.pm', userHome: '/home/u' };
const node20: PlatformFacts = { node: '20.20.2', os: 'linux', nodeFlags: new Set(['--experimental-permission', '--allow-fs-read', '--allow-fs-write', '--allow-child-process', '--allow-worker', '--allow-addons', '--disable-warning']) };
const node25: PlatformFacts = { node: '25.2.0', os: 'linux', nodeFlags: new Set(['--permission', '--allow-fs-read', '--allow-fs-write', '--allow-child-process', '--allow-worker', '--allow-addons', '--allow-net', '--disable-warning']) };
const none: PlatformFacts = { node: '18.0.0', os: 'linux', nodeFlags: new Set() };

describe('resolvePolicy', () => {
  it('grants reading the plugin and data folders and writing the data folder, nothing else, by default', () => {
    const p = resolvePolicy({ name: 'notes' }, paths, { platform: node20 });
    expect(p.permissionFlag).toBe('--experimental-permission');
    expect(p.fs.read.map((g) => [g.source, g.path])).toEqual([['plugin-folder', paths.pluginDir], ['data-folder', paths.dataDir]]);
    expect(p.fs.write.map((g) => g.path)).toEqual([paths.dataDir]);
    expect(p.fs).toMatchObject({ refused: [], enforced: true });
    expect(p.env).toEqual({ names: [], enforced: true });
    expect(p.fullTrust).toEqual([]);
    expect(p.memoryMb).toBe(256);
    expect(p.capabilities.childProcess).toEqual({ declared: false, flag: '--allow-child-process', enforced: true });
  });

  it('expands $DATA, ~ and $HOME and grants each declared path once', () => {
    const p = resolvePolicy({ name: 'notes', permissions: { fs: { read: ['~/docs', '$HOME/docs', '/home/u/docs/a'], write: ['$DATA/out'] } } }, paths, { platform: node20 });
    expect(p.fs.read.filter((g) => g.source === 'declared').map((g) => [g.declared, g.path])).toEqual([['~/docs', '/home/u/docs'], ['/home/u/docs/a', '/home/u/docs/a']]);
    expect(p.fs.write.map((g) => g.path)).toEqual([paths.dataDir, '/home/u/.pm/data/notes/out']);
  });

  it.each([
    ['docs', /is relative/],
    ['/etc', /is not a folder under your home/],
    ['/', /is not a folder under your home/],
    ['~', /is not a folder under your home/],
    ['~/../other', /contains \.\./],
    ['$DATA/../../data/other', /contains \.\./],
    ['~/.pm/keys', /points into PM_HOME/],
    ['~/.pm/secrets.json', /points into PM_HOME/],
    ['~/a,b', /contains "," or "\*"/],
    ['~/*', /contains "," or "\*"/],
  ])('lists %s as refused instead of granting it', (declared, reason) => {
    const p = resolvePolicy({ name: 'notes', permissions: { fs: { read: [declared] } } }, paths, { platform: node20 });
    expect(p.fs.refused).toHaveLength(1);
    expect(p.fs.refused[0]).toMatchObject({ permission: 'fs.read', declared });
    expect(p.fs.refused[0]!.reason).toMatch(reason);
    expect(p.fs.read.some((g) => g.declared === declared)).toBe(false);
  });

  it('says network is not enforced before Node 25 (the plugin can reach any host), and all-or-nothing on 25+', () => {
    const m = { name: 'notes', permissions: { network: ['api.example.org'] } };
    expect(resolvePolicy(m, paths, { platform: node20 }).network).toEqual({ declared: ['api.example.org'], enforced: false, allowed: true, perHost: false, nodeGated: false });
    expect(resolvePolicy(m, paths, { platform: node25 }).network).toEqual({ declared: ['api.example.org'], enforced: true, allowed: true, perHost: false, nodeGated: true });
    expect(resolvePolicy({ name: 'notes' }, paths, { platform: node25 }).network).toMatchObject({ enforced: true, allowed: false });
    expect(resolvePolicy({ name: 'notes', permissions: { network: true } }, paths, { platform: node25 }).network.declared).toBe('any');
  });

  it('marks childProcess, worker and addons as full trust when declared, and an undeclared one unenforced where Node has no flag for it', () => {
    const p = resolvePolicy({ name: 'notes', permissions: { childProcess: true, worker: true, addons: true } }, paths, { platform: node20 });
    expect(p.fullTrust).toEqual(['childProcess', 'worker', 'addons']);
    const old = resolvePolicy({ name: 'notes' }, paths, { platform: { ...node20, nodeFlags: new Set(['--experimental-permission']) } });
    expect(old.capabilities.addons).toEqual({ declared: false, enforced: false });
  });

  it('enforces nothing on a Node without a permission model, and says so', () => {
    const p = resolvePolicy({ name: 'notes' }, paths, { platform: none });
    expect(p.permissionFlag).toBeUndefined();
    expect(p.fs.enforced).toBe(false);
    expect(Object.values(p.capabilities).every((c) => !c.enforced)).toBe(true);
  });

  it('takes the memory cap from the manifest, else from the host setting', () => {
    expect(resolvePolicy({ name: 'notes', permissions: { memoryMb: 64 } }, paths, { platform: node20, defaultMemoryMb: 128 }).memoryMb).toBe(64);
    expect(resolvePolicy({ name: 'notes' }, paths, { platform: node20, defaultMemoryMb: 128 }).memoryMb).toBe(128);
  });
});

describe('resolvePolicy with symbolic links (real paths compared)', () => {
  const root = mkdtempSync(join(tmpdir(), 'pm-policy-'));
  const home = join(root, 'home');
  const realPm = join(root, 'elsewhere', 'pm');
  mkdirSync(join(realPm, 'keys'), { recursive: true });
  mkdirSync(join(realPm, 'data', 'notes'), { recursive: true });
  mkdirSync(join(home, 'docs'), { recursive: true });
  mkdirSync(join(root, 'outside'), { recursive: true });
  symlinkSync(realPm, join(home, '.pm'));
  symlinkSync(join(realPm, 'keys'), join(home, 'innocent'));
  symlinkSync(join(root, 'outside'), join(home, 'docs', 'out'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('refuses ~/.pm/keys when PM_HOME is given as its real path and ~/.pm is a link to it', () => {
    const p = resolvePolicy({ name: 'notes', permissions: { fs: { read: ['~/.pm/keys'] } } }, { pluginDir: join(realPm, 'plugins', 'notes'), dataDir: join(realPm, 'data', 'notes'), pmHome: realPm, userHome: home }, { platform: node20 });
    expect(p.fs.refused.map((r) => r.reason)).toEqual([expect.stringMatching(/points into PM_HOME .*through a link/)]);
  });

  it('refuses a path under home that is a link into PM_HOME', () => {
    const p = resolvePolicy({ name: 'notes', permissions: { fs: { read: ['~/innocent'] } } }, { pluginDir: join(home, '.pm', 'plugins', 'notes'), dataDir: join(home, '.pm', 'data', 'notes'), pmHome: join(home, '.pm'), userHome: home }, { platform: node20 });
    expect(p.fs.refused[0]?.reason).toMatch(/points into PM_HOME/);
  });

  it('refuses a path under home whose real place is outside home, and a path below it that does not exist yet', () => {
    const p = resolvePolicy({ name: 'notes', permissions: { fs: { write: ['~/docs/out', '~/docs/out/new/deeper'] } } }, { pluginDir: join(realPm, 'plugins', 'notes'), dataDir: join(realPm, 'data', 'notes'), pmHome: realPm, userHome: home }, { platform: node20 });
    expect(p.fs.refused.map((r) => r.declared)).toEqual(['~/docs/out', '~/docs/out/new/deeper']);
    expect(p.fs.refused[0]!.reason).toMatch(/is not a folder under your home .*through a link/);
  });

  it('grants a plain folder under home as written and as it really is', () => {
    const p = resolvePolicy({ name: 'notes', permissions: { fs: { read: ['~/docs'] } } }, { pluginDir: join(realPm, 'plugins', 'notes'), dataDir: join(realPm, 'data', 'notes'), pmHome: realPm, userHome: home }, { platform: node20 });
    expect(p.fs.refused).toEqual([]);
    expect(p.fs.read.at(-1)).toMatchObject({ declared: '~/docs', path: join(home, 'docs') });
  });
});

describe('resolvePolicy: the OS sandbox layer', () => {
  const bwrap: PlatformFacts = { ...node20, osSandbox: { available: true, reason: 'test', bwrap: '/usr/bin/bwrap' } };
  const noBwrap: PlatformFacts = { ...node20, osSandbox: { available: false, reason: 'bwrap is not on PATH', hint: 'install bubblewrap' } };
  const server = { name: 'srv', server: { command: 'python3' } };

  it('puts a module plugin in bubblewrap where it runs, enforcing network all-or-nothing even on Node 20', () => {
    const p = resolvePolicy({ name: 'notes' }, paths, { platform: bwrap });
    expect(p.sandbox).toMatchObject({ layer: 'bwrap', startable: true });
    expect(p.network).toEqual({ declared: [], enforced: true, allowed: false, perHost: false, nodeGated: false });
    expect(resolvePolicy({ name: 'notes', permissions: { network: ['a.example'] } }, paths, { platform: bwrap }).network).toMatchObject({ enforced: true, allowed: true });
  });

  it('falls back to Node\'s permission model for a module plugin, saying why', () => {
    const p = resolvePolicy({ name: 'notes' }, paths, { platform: noBwrap });
    expect(p.sandbox).toEqual({ layer: 'node-permissions', reason: "Node's permission model only (bwrap is not on PATH)", hint: 'install bubblewrap', startable: true });
  });

  it('does not count declared childProcess as full trust inside bubblewrap (the OS sandbox still holds)', () => {
    expect(resolvePolicy({ name: 'notes', permissions: { childProcess: true } }, paths, { platform: bwrap }).fullTrust).toEqual([]);
    expect(resolvePolicy({ name: 'notes', permissions: { childProcess: true } }, paths, { platform: noBwrap }).fullTrust).toEqual(['childProcess']);
  });

  it('lets a server plugin start without bubblewrap only with a recorded full-trust grant', () => {
    expect(resolvePolicy(server, paths, { platform: bwrap }).sandbox).toMatchObject({ layer: 'bwrap', startable: true });
    const refused = resolvePolicy(server, paths, { platform: noBwrap });
    expect(refused).toMatchObject({ kind: 'server', sandbox: { layer: 'none', startable: false } });
    expect(refused.sandbox.reason).toMatch(/starts only with full trust/);
    expect(refused.network.enforced).toBe(false);
    expect(refused.fs.enforced).toBe(false);
    const trusted = resolvePolicy(server, paths, { platform: noBwrap, fullTrust: { since: '2026-12-02' } });
    expect(trusted.sandbox).toMatchObject({ layer: 'none', startable: true, fullTrust: { since: '2026-12-02' } });
  });

  it('caps a module plugin\'s data segment above its heap, and a server\'s at the memory cap', () => {
    expect(resolvePolicy({ name: 'notes', permissions: { memoryMb: 64 } }, paths, { platform: bwrap })).toMatchObject({ memoryMb: 64, dataLimitMb: 1088, maxProcesses: 128 });
    expect(resolvePolicy({ ...server, permissions: { memoryMb: 64 } }, paths, { platform: bwrap }).dataLimitMb).toBe(64);
  });
});

describe('resolvePolicy: what a local server\'s command line names', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pm-policy-cmd-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const script = join(dir, 'tools', 'server.py');
  mkdirSync(join(dir, 'tools'), { recursive: true });
  writeFileSync(script, '');
  const server = { command: 'python3', args: [script, '${pluginDir}/x'] };

  it('grants the folder of a script a local (mcp-add) server names by absolute path, read-only', () => {
    const p = resolvePolicy({ name: 'srv', server, source: { type: 'local' } }, paths, { platform: node20 });
    expect(p.fs.read.filter((g) => g.source === 'command').map((g) => g.path)).toEqual([join(dir, 'tools')]);
    expect(p.fs.write.some((g) => g.path.startsWith(dir))).toBe(false);
  });

  it('grants nothing a packaged server\'s command line names (a manifest cannot reach ~/.ssh through its args)', () => {
    expect(resolvePolicy({ name: 'srv', server, source: { type: 'npm' } }, paths, { platform: node20 }).fs.read.some((g) => g.source === 'command')).toBe(false);
  });

  it('grants only the named file when its folder is the home folder or holds it', () => {
    const p = resolvePolicy({ name: 'srv', server: { command: 'python3', args: [script] }, source: { type: 'local' } }, { ...paths, userHome: join(dir, 'tools') }, { platform: node20 });
    expect(p.fs.read.filter((g) => g.source === 'command').map((g) => g.path)).toEqual([script]);
  });
});
