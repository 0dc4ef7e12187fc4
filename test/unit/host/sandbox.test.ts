import { describe, expect, it } from 'vitest';
import { permissionReport, resolvePermissionPath, sandboxEnv, sandboxExecArgv } from '../../../src/host/sandbox.js';
import type { HostManifest } from '../../../src/host/manifest-types.js';

const paths = { pluginDir: '/home/u/.pm/plugins/notes', dataDir: '/home/u/.pm/data/notes', runnerFiles: ['/opt/pm/dist/host/runner.js', '/opt/pm/dist/host/ipc.js'], pmHome: '/home/u/.pm', userHome: '/home/u' };
const node20 = new Set(['--experimental-permission', '--allow-fs-read', '--allow-fs-write', '--allow-child-process', '--allow-worker', '--allow-addons', '--disable-warning']);
const node24 = new Set(['--permission', '--allow-fs-read', '--allow-fs-write', '--allow-child-process', '--allow-worker', '--allow-addons', '--disable-warning']);
const node25 = new Set([...node24, '--allow-net']);
const base: HostManifest = { name: 'notes', version: '1.0.0' };

describe('sandboxExecArgv', () => {
  it('grants reads of the runner, plugin and data folders and writes of the data folder only, on Node 20', () => {
    expect(sandboxExecArgv(base, paths, { nodeFlags: node20 })).toEqual([
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
    expect(sandboxExecArgv(base, paths, { nodeFlags: node24 })[0]).toBe('--permission');
  });

  it('adds full-trust grants and the memory cap only when the manifest declares them', () => {
    const m: HostManifest = { ...base, permissions: { childProcess: true, worker: true, addons: true, memoryMb: 64, fs: { read: ['~/notes'], write: ['$DATA/out'] } } };
    const argv = sandboxExecArgv(m, paths, { nodeFlags: node20 });
    expect(argv).toContain('--allow-child-process');
    expect(argv).toContain('--allow-worker');
    expect(argv).toContain('--allow-addons');
    expect(argv).toContain('--max-old-space-size=64');
    expect(argv).toContain('--allow-fs-read=/home/u/notes');
    expect(argv).toContain('--allow-fs-write=/home/u/.pm/data/notes/out');
    expect(sandboxExecArgv(base, paths, { nodeFlags: node20 }).some((a) => /child-process|worker|addons/.test(a))).toBe(false);
  });

  it('grants the network only on a Node that enforces it, and only when declared', () => {
    const m: HostManifest = { ...base, permissions: { network: ['api.example.org'] } };
    expect(sandboxExecArgv(m, paths, { nodeFlags: node25 })).toContain('--allow-net');
    expect(sandboxExecArgv(base, paths, { nodeFlags: node25 })).not.toContain('--allow-net');
    expect(permissionReport(m, paths, { nodeFlags: node24 }).network).toEqual({ hosts: ['api.example.org'], enforced: false });
    expect(permissionReport(m, paths, { nodeFlags: node25 }).network.enforced).toBe(true);
  });

  it('refuses to start without a permission model', () => {
    expect(() => sandboxExecArgv(base, paths, { nodeFlags: new Set() })).toThrow(/has no permission model/);
  });
});

describe('resolvePermissionPath', () => {
  it('resolves $DATA, ~ and $HOME', () => {
    expect(resolvePermissionPath('$DATA', paths)).toBe('/home/u/.pm/data/notes');
    expect(resolvePermissionPath('~/docs', paths)).toBe('/home/u/docs');
    expect(resolvePermissionPath('$HOME/docs', paths)).toBe('/home/u/docs');
    expect(resolvePermissionPath('/home/u/docs/a', paths)).toBe('/home/u/docs/a');
  });

  it.each([
    ['docs', /is relative/],
    ['/etc', /is not a folder under your home/],
    ['/', /is not a folder under your home/],
    ['~', /is not a folder under your home/],
    ['~/../other', /is not a folder under your home/],
    ['~/.pm/keys', /points into PM_HOME/],
    ['$DATA/../../data/other', /points into PM_HOME/],
    ['~/a,b', /contains "," or "\*"/],
    ['~/*', /contains "," or "\*"/],
  ])('refuses %s', (p, message) => {
    expect(() => resolvePermissionPath(p, paths, 'notes')).toThrow(message);
    try {
      resolvePermissionPath(p, paths, 'notes');
    } catch (e) {
      expect(e).toMatchObject({ code: 'PERMISSION_PATH_REFUSED', kind: 'validation' });
    }
  });
});

describe('permissionReport', () => {
  it('calls childProcess, worker and addons full trust', () => {
    expect(permissionReport(base, paths).fullTrust).toBe(false);
    expect(permissionReport({ ...base, permissions: { childProcess: true } }, paths).fullTrust).toBe(true);
    expect(permissionReport({ ...base, permissions: { addons: true } }, paths).fullTrust).toBe(true);
  });
});

describe('sandboxEnv', () => {
  it('passes only the declared variables that are set', () => {
    const m: HostManifest = { ...base, permissions: { env: ['TOKEN', 'UNSET'] } };
    expect(sandboxEnv(m, { TOKEN: 't', PATH: '/bin', HOME: '/home/u' })).toEqual({ TOKEN: 't' });
    expect(sandboxEnv(base, { TOKEN: 't' })).toEqual({});
  });
});
