import { describe, expect, it } from 'vitest';
import { resolvePolicy, type PlatformFacts, type PolicyManifest } from '../../../../../src/core/permissions/policy.js';
import { bwrapArgv, safePath, type BwrapPlan } from '../../../../../src/host/launch/bwrap/argv.js';
import type { SystemLayout } from '../../../../../src/host/launch/bwrap/system-layout.js';

const paths = { pluginDir: '/home/u/.pm/plugins/notes', dataDir: '/home/u/.pm/data/notes', pmHome: '/home/u/.pm', userHome: '/home/u', runtimeFiles: ['/opt/pm/dist/host/runner.js'] };
const platform: PlatformFacts = {
  node: '20.20.2', os: 'linux', nodeFlags: new Set(['--experimental-permission', '--allow-fs-read', '--allow-fs-write']),
  osSandbox: { available: true, reason: 'test', bwrap: '/usr/bin/bwrap', prlimit: '/usr/bin/prlimit' },
};
const layout: SystemLayout = {
  roots: [{ path: '/usr' }, { path: '/bin', link: 'usr/bin' }, { path: '/lib', link: 'usr/lib' }],
  etc: ['/etc/ssl'],
  etcNetwork: ['/etc/resolv.conf', '/etc/hosts'],
};

function argvFor(m: PolicyManifest, over: Partial<BwrapPlan> = {}): string[] {
  const policy = resolvePolicy(m, paths, { platform });
  return bwrapArgv({ policy, command: '/usr/bin/node', args: ['/opt/pm/dist/host/runner.js'], runtime: [], env: {}, cwd: paths.dataDir, layout, prlimit: '/usr/bin/prlimit', ...over });
}

/** The [flag, src, dest] triples of the bind options, in order. */
function binds(argv: string[]): string[][] {
  const out: string[][] = [];
  argv.forEach((a, i) => { if (/^--(ro-)?bind(-try)?$/.test(a)) out.push([a, argv[i + 1]!, argv[i + 2]!]); });
  return out;
}

describe('bwrapArgv', () => {
  it('unshares every namespace, dies with pm, drops capabilities and clears the environment before anything else', () => {
    const argv = argvFor({ name: 'notes' });
    expect(argv.slice(0, 7)).toEqual(['--unshare-all', '--die-with-parent', '--new-session', '--cap-drop', 'ALL', '--clearenv', '--ro-bind']);
    expect(argv).not.toContain('--share-net');
  });

  it('shares the network, /etc/resolv.conf and /etc/hosts only when network is granted', () => {
    const none = argvFor({ name: 'notes' });
    expect(none.join(' ')).not.toMatch(/resolv\.conf|\/etc\/hosts/);
    const net = argvFor({ name: 'notes', permissions: { network: ['api.example.org'] } });
    expect(net.slice(0, 2)).toEqual(['--unshare-all', '--share-net']);
    expect(binds(net)).toEqual(expect.arrayContaining([['--ro-bind-try', '/etc/resolv.conf', '/etc/resolv.conf'], ['--ro-bind-try', '/etc/hosts', '/etc/hosts']]));
  });

  it('binds the system read-only, recreates merged-/usr links, and gives a private /proc, /dev and /tmp', () => {
    const argv = argvFor({ name: 'notes' }).join(' ');
    expect(argv).toContain('--ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --ro-bind-try /etc/ssl /etc/ssl --proc /proc --dev /dev --tmpfs /tmp');
  });

  it('binds the plugin folder read-only, its data folder read-write and the runner read-only, and not $HOME or PM_HOME', () => {
    const b = binds(argvFor({ name: 'notes' }));
    expect(b.filter(([, src]) => !src.startsWith('/usr') && !src.startsWith('/etc'))).toEqual([
      ['--bind', paths.dataDir, paths.dataDir],
      ['--ro-bind', paths.pluginDir, paths.pluginDir],
      ['--ro-bind', '/opt/pm/dist/host/runner.js', '/opt/pm/dist/host/runner.js'],
    ]);
    expect(b.some(([, src]) => src === '/home/u' || src === '/home/u/.pm')).toBe(false);
  });

  it('binds each declared path (read-only or read-write), parents before children, a write inside a read path last', () => {
    const b = binds(argvFor({ name: 'notes', permissions: { fs: { read: ['~/docs'], write: ['~/docs/out'] } } }));
    const declared = b.filter(([, src]) => src.startsWith('/home/u/docs'));
    expect(declared).toEqual([['--ro-bind-try', '/home/u/docs', '/home/u/docs'], ['--bind-try', '/home/u/docs/out', '/home/u/docs/out']]);
  });

  it('passes exactly the given environment and drops the PWD bwrap sets', () => {
    const argv = argvFor({ name: 'notes' }, { env: { NOTES_TOKEN: 'tok', PATH: safePath(['/opt/py/bin']) } });
    const sets = argv.flatMap((a, i) => (a === '--setenv' ? [[argv[i + 1], argv[i + 2]]] : []));
    expect(sets).toEqual([['NOTES_TOKEN', 'tok'], ['PATH', '/opt/py/bin:/usr/local/bin:/usr/bin:/bin']]);
    expect(argv.slice(argv.indexOf('--') + 1)).toEqual(['/usr/bin/prlimit', `--data=${(256 + 1024) * 1024 * 1024}`, '--nproc=128', '--', '/usr/bin/env', '-u', 'PWD', '/usr/bin/node', '/opt/pm/dist/host/runner.js']);
  });

  it('sets the memory and process limits from the policy, and none without prlimit', () => {
    const argv = argvFor({ name: 'notes', permissions: { memoryMb: 64 } });
    expect(argv).toContain(`--data=${(64 + 1024) * 1024 * 1024}`);
    expect(argvFor({ name: 'notes' }, { prlimit: undefined }).join(' ')).not.toContain('prlimit');
  });

  it('binds the interpreter installation read-only and works in the given folder', () => {
    const argv = argvFor({ name: 'srv', server: { command: 'python3' } }, { command: '/opt/py/bin/python3', args: ['server.py'], runtime: ['/opt/py'], cwd: paths.pluginDir });
    expect(binds(argv)).toContainEqual(['--ro-bind', '/opt/py', '/opt/py']);
    expect(argv.slice(argv.indexOf('--chdir'), argv.indexOf('--chdir') + 2)).toEqual(['--chdir', paths.pluginDir]);
    // A server has no heap cap of its own: RLIMIT_DATA is its whole cap (1 GiB unless declared).
    expect(argv).toContain(`--data=${1024 * 1024 * 1024}`);
  });
});
