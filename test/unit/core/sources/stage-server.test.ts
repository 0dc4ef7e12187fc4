import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installServerFolder, serverConsent, serverManifest, withStagingFolder, type ServerPluginDraft } from '../../../../src/core/sources/stage-server.js';
import { readState } from '../../../../src/core/store/state.js';

const draft = (): ServerPluginDraft => ({
  server: { command: 'node', args: ['${pluginDir}/node_modules/echo/bin.js'] },
  source: { type: 'npm', spec: 'npm:@acme/echo-server@^1.0.0', resolved: '1.2.0', integrity: 'sha512-abc' },
  facts: { packageName: '@acme/echo-server', version: '1.2.0', description: 'Echoes', license: 'MIT' },
});

/** The staging folder as a fetch leaves it: the file the draft's server runs exists (plugin-validate checks it). */
async function fetched(dir: string): Promise<string> {
  await mkdir(join(dir, 'node_modules', 'echo'), { recursive: true });
  await writeFile(join(dir, 'node_modules', 'echo', 'bin.js'), 'process.stdin.resume();\n');
  return dir;
}

let home: string;
beforeEach(async () => { home = await mkdtemp(join(tmpdir(), 'pm-stage-home-')); });
afterEach(async () => { await rm(home, { recursive: true, force: true }); });

describe('serverManifest', () => {
  it('derives the name, appends --arg, merges --env and the --allow-* permissions', () => {
    const m = serverManifest(draft(), { home, args: ['--root', '${dataDir}'], env: ['UNITS=metric'], allowNet: ['api.example.org'], allowRead: ['~/docs'] });
    expect(m).toEqual({
      name: 'echo-server', version: '1.2.0', description: 'Echoes', license: 'MIT',
      server: { command: 'node', args: ['${pluginDir}/node_modules/echo/bin.js', '--root', '${dataDir}'], env: { UNITS: 'metric' } },
      source: draft().source,
      permissions: { fs: { read: ['~/docs'] }, network: ['api.example.org'] },
    });
  });

  it('describes the package when it has no description of its own', () => {
    const d = draft();
    delete d.facts.description;
    expect(serverManifest(d, { home }).description).toBe('npm package @acme/echo-server');
  });
});

describe('installServerFolder', () => {
  it('writes plugin.json, installs the folder and records the source in state.json', async () => {
    const r = await withStagingFolder(async (dir) => installServerFolder(await fetched(dir), draft(), { home, yes: true }));
    expect(r).toMatchObject({ name: 'echo-server', version: '1.2.0', action: 'installed', signer: null, source: draft().source });
    const m = JSON.parse(await readFile(join(home, 'plugins', 'echo-server', 'plugin.json'), 'utf8'));
    expect(m.server.command).toBe('node');
    expect((await readState(home)).plugins['echo-server']!.source).toEqual(draft().source);
  });

  it('shows the command, env and permission lines to the confirm callback before installing', async () => {
    let seen: unknown;
    await withStagingFolder(async (dir) => installServerFolder(await fetched(dir), draft(), { home, env: ['K=${secret.K}'], allowWrite: [join(homedir(), 'out')], confirm: async (c) => { seen = c; return true; } }));
    expect(seen).toMatchObject({
      plugin: 'echo-server', command: ['node', '${pluginDir}/node_modules/echo/bin.js'], env: ['K=${secret.K}'],
      permissions: expect.arrayContaining([expect.objectContaining({ permission: 'fs.write', granted: expect.stringContaining(join(homedir(), 'out')) })]),
    });
  });

  it('refuses without a terminal and without --yes, leaving PM_HOME empty', async () => {
    await expect(withStagingFolder(async (dir) => installServerFolder(await fetched(dir), draft(), { home }))).rejects.toMatchObject({ code: 'CONSENT_REQUIRED', hint: expect.stringContaining('--yes') });
    expect(await readdir(home)).toEqual([]);
  });

  it('installs nothing when the user declines', async () => {
    await expect(withStagingFolder(async (dir) => installServerFolder(await fetched(dir), draft(), { home, confirm: async () => false }))).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await stat(join(home, 'plugins', 'echo-server')).catch(() => null)).toBeNull();
  });

  it('refuses a taken name when asked to, before asking for consent', async () => {
    await withStagingFolder(async (dir) => installServerFolder(await fetched(dir), draft(), { home, yes: true }));
    const before = await readFile(join(home, 'state.json'), 'utf8');
    await expect(withStagingFolder(async (dir) => installServerFolder(await fetched(dir), draft(), { home, refuseTaken: true, confirm: async () => { throw new Error('asked'); } })))
      .rejects.toMatchObject({ code: 'SERVER_NAME_TAKEN', message: expect.stringContaining('echo-server') });
    expect(await readFile(join(home, 'state.json'), 'utf8')).toBe(before);
  });

  it('removes the staging folder whatever happens', async () => {
    let kept = '';
    await expect(withStagingFolder(async (dir) => { kept = dir; throw new Error('boom'); })).rejects.toThrow('boom');
    expect(await stat(kept).catch(() => null)).toBeNull();
  });
});

describe('serverConsent', () => {
  it('shows env references as written and hides literal values, which may be tokens', () => {
    const m = serverManifest(draft(), { home: tmpdir(), env: ['TOKEN=ghp_literal123', 'KEY=${secret.KEY}', 'UNITS=${config.units}'] });
    expect(serverConsent(m, tmpdir()).env).toEqual(['TOKEN=(hidden)', 'KEY=${secret.KEY}', 'UNITS=${config.units}']);
  });
});
