import { describe, expect, it } from 'vitest';
import { consentWarnings, describePolicy, type PermissionLine } from '../../../../src/core/permissions/describe.js';
import { resolvePolicy, type PlatformFacts, type PolicyManifest } from '../../../../src/core/permissions/policy.js';

const paths = { pluginDir: '/home/u/.pm/plugins/notes', dataDir: '/home/u/.pm/data/notes', pmHome: '/home/u/.pm', userHome: '/home/u', runtimeFiles: ['/opt/pm/dist/host/runner.js'] };
const flags = ['--allow-fs-read', '--allow-fs-write', '--allow-child-process', '--allow-worker', '--allow-addons', '--disable-warning'];
const node20: PlatformFacts = { node: '20.20.2', os: 'linux', nodeFlags: new Set(['--experimental-permission', ...flags]) };
const node25: PlatformFacts = { node: '25.2.0', os: 'linux', nodeFlags: new Set(['--permission', '--allow-net', ...flags]) };

const lines = (m: PolicyManifest, platform = node20) => describePolicy(resolvePolicy(m, paths, { platform }));
const line = (ls: PermissionLine[], permission: string) => ls.filter((l) => l.permission === permission);

describe('describePolicy', () => {
  it('shows the folders a plugin always gets and its declared paths, not pm\'s own runner files', () => {
    const ls = lines({ name: 'notes', permissions: { fs: { read: ['~/docs'], write: ['$DATA/out'] } } });
    expect(line(ls, 'fs.read')).toEqual([{ permission: 'fs.read', granted: 'its own folder, its data folder, ~/docs', enforcement: 'enforced', note: 'Node permission model (--experimental-permission)' }]);
    expect(line(ls, 'fs.write')[0]!.granted).toBe('its data folder, $DATA/out');
  });

  it('shows a refused path as refused, never as granted', () => {
    const ls = lines({ name: 'notes', permissions: { fs: { read: ['~/.pm/keys'] } } });
    expect(line(ls, 'fs.read')).toEqual([
      expect.objectContaining({ granted: 'its own folder, its data folder', enforcement: 'enforced' }),
      { permission: 'fs.read', granted: '~/.pm/keys', enforcement: 'refused', note: expect.stringMatching(/^refused: points into PM_HOME .*the plugin does not start until it is removed$/) },
    ]);
  });

  it('says network is not enforced before Node 25 and that the plugin can reach any host', () => {
    expect(line(lines({ name: 'notes', permissions: { network: ['api.example.org'] } }), 'network')).toEqual([{
      permission: 'network', granted: 'any host (declared: api.example.org)', enforcement: 'not-enforced',
      note: 'not enforced: Node 20.20.2 cannot restrict network access (needs Node 25+); the plugin can reach any host',
    }]);
    expect(line(lines({ name: 'notes' }), 'network')[0]).toMatchObject({ granted: 'any host (declared: none)', enforcement: 'not-enforced' });
  });

  it('says network on Node 25 is none when undeclared, and all-or-nothing when declared', () => {
    expect(line(lines({ name: 'notes' }, node25), 'network')[0]).toMatchObject({ granted: 'none', enforcement: 'enforced' });
    expect(line(lines({ name: 'notes', permissions: { network: ['api.example.org'] } }, node25), 'network')[0]).toMatchObject({
      granted: 'any host (declared: api.example.org)', enforcement: 'enforced', note: expect.stringMatching(/all-or-nothing/),
    });
  });

  it('marks declared childProcess as full trust and undeclared capabilities as refused by the permission model', () => {
    const ls = lines({ name: 'notes', permissions: { childProcess: true } });
    expect(line(ls, 'childProcess')[0]).toEqual({ permission: 'childProcess', granted: 'yes', enforcement: 'full-trust', note: 'full trust: a plugin with childProcess can run code outside the sandbox' });
    expect(line(ls, 'worker')[0]).toMatchObject({ granted: 'no', enforcement: 'enforced' });
  });

  it('claims nothing is enforced on a Node without a permission model', () => {
    const ls = lines({ name: 'notes' }, { node: '18.0.0', os: 'linux', nodeFlags: new Set() });
    expect(ls.filter((l) => l.permission !== 'env' && l.permission !== 'memory').every((l) => l.enforcement === 'not-enforced')).toBe(true);
    expect(line(ls, 'fs.read')[0]!.note).toMatch(/no permission model: pm does not start the plugin/);
  });

  it('lists env names and the heap cap', () => {
    const ls = lines({ name: 'notes', permissions: { env: ['NOTES_TOKEN'], memoryMb: 64 } });
    expect(line(ls, 'env')[0]).toMatchObject({ granted: 'NOTES_TOKEN', enforcement: 'enforced' });
    expect(line(ls, 'memory')[0]).toMatchObject({ granted: '64 MiB heap', enforcement: 'enforced' });
  });
});

describe('consentWarnings', () => {
  it('warns about full trust and refused paths, and about nothing for a plain plugin', () => {
    expect(consentWarnings(resolvePolicy({ name: 'notes' }, paths, { platform: node20 }))).toEqual([]);
    expect(consentWarnings(resolvePolicy({ name: 'shell', permissions: { childProcess: true, fs: { read: ['/etc'] } } }, paths, { platform: node20 }))).toEqual([
      "shell asks for childProcess: that is full trust, it can run code outside the sandbox ('pm plugin-info shell')",
      'shell asks for fs.read of "/etc", which pm refuses: it is not a folder under your home (/home/u); the plugin does not start until that is removed',
    ]);
  });
});

describe('describePolicy under bubblewrap', () => {
  const bwrap: PlatformFacts = { ...node20, osSandbox: { available: true, reason: 'test', bwrap: '/usr/bin/bwrap' } };
  const noBwrap: PlatformFacts = { ...node20, osSandbox: { available: false, reason: 'bwrap is not on PATH' } };

  it('says network is any host with filtering by host not enforced when granted, and none otherwise', () => {
    expect(line(lines({ name: 'notes', permissions: { network: ['api.example.org'] } }, bwrap), 'network')[0]).toMatchObject({ granted: 'any host (filtering by host not enforced)', enforcement: 'enforced' });
    expect(line(lines({ name: 'notes' }, bwrap), 'network')[0]).toMatchObject({ granted: 'none', enforcement: 'enforced' });
  });

  it('names the layer first, and both layers for a module plugin', () => {
    expect(lines({ name: 'notes' }, bwrap)[0]).toMatchObject({ permission: 'sandbox', granted: 'bubblewrap', note: expect.stringMatching(/Node's permission model inside as a second layer/) });
    expect(line(lines({ name: 'notes' }, bwrap), 'fs.read')[0]!.note).toBe("bubblewrap: nothing else of the file system is bound in and Node's permission model (--experimental-permission)");
    expect(line(lines({ name: 'notes' }, bwrap), 'processes')[0]).toMatchObject({ granted: '128 (threads included)', note: expect.stringMatching(/RLIMIT_NPROC.*root/) });
  });

  it('shows an unsandboxed server with full trust as such, and claims nothing is enforced for it', () => {
    const m = { name: 'srv', server: { command: 'python3' } };
    const ls = describePolicy(resolvePolicy(m, paths, { platform: noBwrap, fullTrust: { since: '2026-12-02' } }));
    expect(line(ls, 'sandbox')[0]).toMatchObject({ granted: 'unsandboxed: full trust', enforcement: 'full-trust' });
    expect(ls.filter((l) => l.permission !== 'sandbox' && l.permission !== 'env').every((l) => l.enforcement === 'not-enforced')).toBe(true);
    expect(consentWarnings(resolvePolicy(m, paths, { platform: noBwrap }))[0]).toMatch(/pm plugin-trust srv --full/);
  });
});
