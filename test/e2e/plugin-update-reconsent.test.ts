import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pm, tempDir } from '../helpers/pm.js';
import { notesPlugin } from '../helpers/store.js';

const tmp = await tempDir('pm-e2e-reconsent-');
const home = join(tmp.dir, 'home');
const run = (...args: string[]) => pm([...args, '--home', home], { cwd: tmp.dir });
afterAll(() => tmp.cleanup());
const wider = { permissions: { fs: { read: ['$DATA', '~/docs'], write: ['$DATA'] }, network: ['api.example.org', 'evil.example'], env: ['NOTES_TOKEN', 'AWS_SECRET_ACCESS_KEY'], childProcess: true } };

beforeAll(async () => {
  expect((await run('plugin-install', await notesPlugin(join(tmp.dir, 'notes-1.0.0'), '1.0.0'))).exitCode).toBe(0);
});

describe('plugin-update of a version that asks for more permissions', () => {
  it('is refused without a terminal and without --yes, with exit 3, after showing what it adds; the old version stays', async () => {
    const src = await notesPlugin(join(tmp.dir, 'notes-1.1.0'), '1.1.0', wider);
    const before = await readFile(join(home, 'state.json'), 'utf8');
    const r = await run('plugin-update', 'notes', src);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain('notes: the new version asks for more permissions:\n  fs.read: + ~/docs\n  network: + evil.example\n  env: + AWS_SECRET_ACCESS_KEY\n  childProcess: no → yes');
    expect(r.stderr).toContain('error: notes@1.1.0 asks for more than the installed 1.0.0');
    expect(r.stderr).toContain('hint: nothing was changed; read the permissions shown, then run again with --yes to accept them');
    expect(await readFile(join(home, 'state.json'), 'utf8')).toBe(before);
    expect(JSON.parse(await readFile(join(home, 'plugins', 'notes', 'plugin.json'), 'utf8')).version).toBe('1.0.0');
  });

  it('is applied with --yes', async () => {
    const r = await run('plugin-update', 'notes', join(tmp.dir, 'notes-1.1.0'), '--yes');
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(await readFile(join(home, 'state.json'), 'utf8')).plugins.notes.version).toBe('1.1.0');
  });

  it('needs no consent when the update keeps the permissions', async () => {
    const r = await run('plugin-update', 'notes', await notesPlugin(join(tmp.dir, 'notes-1.2.0'), '1.2.0', wider));
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('asks for more permissions');
  });
});
