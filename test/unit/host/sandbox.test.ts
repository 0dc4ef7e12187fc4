import { describe, expect, it } from 'vitest';
import { describePolicy } from '../../../src/core/permissions/describe.js';
import { policyEnv, policyExecArgv, sandboxEnv, sandboxExecArgv, sandboxPolicy } from '../../../src/host/sandbox.js';
import type { Manifest } from '../../../src/core/manifest/types.js';

const paths = { pluginDir: '/home/u/.pm/plugins/notes', dataDir: '/home/u/.pm/data/notes', runnerFiles: ['/opt/pm/dist/host/runner.js', '/opt/pm/dist/host/ipc.js'], pmHome: '/home/u/.pm', userHome: '/home/u' };
const node20 = new Set(['--experimental-permission', '--allow-fs-read', '--allow-fs-write', '--allow-child-process', '--allow-worker', '--allow-addons', '--disable-warning']);
const node24 = new Set(['--permission', '--allow-fs-read', '--allow-fs-write', '--allow-child-process', '--allow-worker', '--allow-addons', '--disable-warning']);
const node25 = new Set([...node24, '--allow-net']);
// These tests are about Node's layer; the bwrap layer has its own (test/unit/host/launch/bwrap/).
const noBwrap = { available: false, reason: 'not probed in this test' };
const base: Manifest = { name: 'notes', version: '1.0.0', description: 'notes' };

describe('one policy drives what plugin-info shows and what the launcher builds', () => {
  it('shows exactly the paths, capabilities and limits the flags grant, from one manifest', () => {
    const m: Manifest = { ...base, permissions: { fs: { read: ['~/docs'], write: ['$DATA/out'] }, network: ['api.example.org'], env: ['NOTES_TOKEN'], childProcess: true, memoryMb: 64 } };
    const policy = sandboxPolicy(m, paths, { nodeFlags: node20, osSandbox: noBwrap });
    const shown = Object.fromEntries(describePolicy(policy).map((l) => [l.permission, `${l.granted} [${l.enforcement}]`]));
    const argv = policyExecArgv(policy);
    expect(shown).toEqual({
      sandbox: 'Node permission model [enforced]',
      'fs.read': 'its own folder, its data folder, ~/docs [enforced]',
      'fs.write': 'its data folder, $DATA/out [enforced]',
      network: 'any host (declared: api.example.org) [not-enforced]',
      env: 'NOTES_TOKEN [enforced]',
      childProcess: 'yes [full-trust]',
      worker: 'no [enforced]',
      addons: 'no [enforced]',
      memory: '64 MiB heap [enforced]',
    });
    expect(argv).toEqual([
      '--experimental-permission',
      '--allow-fs-read=/opt/pm/dist/host/runner.js',
      '--allow-fs-read=/opt/pm/dist/host/ipc.js',
      '--allow-fs-read=/home/u/.pm/plugins/notes',
      '--allow-fs-read=/home/u/.pm/data/notes',
      '--allow-fs-read=/home/u/docs',
      '--allow-fs-write=/home/u/.pm/data/notes',
      '--allow-fs-write=/home/u/.pm/data/notes/out',
      '--allow-child-process',
      '--max-old-space-size=64',
      '--disable-warning=ExperimentalWarning',
    ]);
    expect(policyEnv(policy, { NOTES_TOKEN: 't', HOME: '/home/u' })).toEqual({ NOTES_TOKEN: 't' });
    // Same object, same answer: the declared network is shown as not enforced and no flag pretends otherwise.
    expect(argv.some((a) => a.includes('net'))).toBe(false);
  });

  it('shows a refused path as refused, and the launcher refuses to start with it', () => {
    const policy = sandboxPolicy({ ...base, permissions: { fs: { read: ['~/.pm/keys'] } } }, paths, { nodeFlags: node20, osSandbox: noBwrap });
    expect(describePolicy(policy).find((l) => l.enforcement === 'refused')).toMatchObject({ permission: 'fs.read', granted: '~/.pm/keys' });
    expect(() => policyExecArgv(policy)).toThrow(expect.objectContaining({ code: 'PERMISSION_PATH_REFUSED', kind: 'validation', message: expect.stringMatching(/notes: permission path "~\/.pm\/keys" points into PM_HOME/) }));
  });

  it('grants the network on Node 25 only when declared, and shows it as all-or-nothing', () => {
    const m: Manifest = { ...base, permissions: { network: ['api.example.org'] } };
    const policy = sandboxPolicy(m, paths, { nodeFlags: node25, osSandbox: noBwrap });
    expect(policyExecArgv(policy)).toContain('--allow-net');
    expect(describePolicy(policy).find((l) => l.permission === 'network')).toMatchObject({ granted: 'any host (declared: api.example.org)', enforcement: 'enforced' });
    expect(sandboxExecArgv(base, paths, { nodeFlags: node25, osSandbox: noBwrap })).not.toContain('--allow-net');
  });
});

describe('sandboxExecArgv', () => {
  it('grants reads of the runner, plugin and data folders and writes of the data folder only, on Node 20', () => {
    expect(sandboxExecArgv(base, paths, { nodeFlags: node20, osSandbox: noBwrap })).toEqual([
      '--experimental-permission',
      '--allow-fs-read=/opt/pm/dist/host/runner.js',
      '--allow-fs-read=/opt/pm/dist/host/ipc.js',
      '--allow-fs-read=/home/u/.pm/plugins/notes',
      '--allow-fs-read=/home/u/.pm/data/notes',
      '--allow-fs-write=/home/u/.pm/data/notes',
      '--max-old-space-size=256',
      '--disable-warning=ExperimentalWarning',
    ]);
  });

  it('uses --permission where Node has it (22+)', () => {
    expect(sandboxExecArgv(base, paths, { nodeFlags: node24, osSandbox: noBwrap })[0]).toBe('--permission');
  });

  it('adds full-trust flags only when the manifest declares them', () => {
    const argv = sandboxExecArgv({ ...base, permissions: { childProcess: true, worker: true, addons: true } }, paths, { nodeFlags: node20, osSandbox: noBwrap });
    expect(argv).toEqual(expect.arrayContaining(['--allow-child-process', '--allow-worker', '--allow-addons']));
    expect(sandboxExecArgv(base, paths, { nodeFlags: node20, osSandbox: noBwrap }).some((a) => /child-process|worker|addons/.test(a))).toBe(false);
  });

  it('refuses to start without a permission model', () => {
    expect(() => sandboxExecArgv(base, paths, { nodeFlags: new Set() })).toThrow(/has no permission model/);
  });
});

describe('sandboxEnv', () => {
  it('passes only the declared variables', () => {
    const m: Manifest = { ...base, permissions: { env: ['TOKEN', 'MISSING'] } };
    expect(sandboxEnv(m, { TOKEN: 't', PATH: '/bin', HOME: '/home/u' })).toEqual({ TOKEN: 't' });
    expect(sandboxEnv(base, { TOKEN: 't' })).toEqual({});
  });

  it('passes --allow-net only to a Node that has it, even where bubblewrap grants the network', () => {
    const m: Manifest = { ...base, permissions: { network: ['api.example.org'] } };
    const bwrap = { available: true, reason: 'test', bwrap: '/usr/bin/bwrap' };
    expect(policyExecArgv(sandboxPolicy(m, paths, { nodeFlags: node20, osSandbox: bwrap }))).not.toContain('--allow-net');
    expect(policyExecArgv(sandboxPolicy(m, paths, { nodeFlags: node25, osSandbox: bwrap }))).toContain('--allow-net');
  });
});
