import { chmodSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveCommand } from '../../../../src/host/launch/resolve-command.js';

const root = mkdtempSync(join(tmpdir(), 'pm-resolve-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const bin = join(root, 'bin');
mkdirSync(bin);
writeFileSync(join(bin, 'tool'), '#!/bin/sh\n');
chmodSync(join(bin, 'tool'), 0o755);
writeFileSync(join(bin, 'plain'), 'not executable');
chmodSync(join(bin, 'plain'), 0o644);

describe('resolveCommand', () => {
  it('finds a bare name on the PATH it is given, skipping relative and empty entries', async () => {
    expect(await resolveCommand('tool', { cwd: root, path: `relative::/nonexistent:${bin}` })).toBe(join(bin, 'tool'));
  });

  it('runs a bare node that is not on PATH with the Node running pm (GUI clients start pm without a shell PATH)', async () => {
    expect(await resolveCommand('node', { cwd: root, path: bin })).toBe(process.execPath);
    // node on PATH still wins: the user's choice of Node is kept.
    writeFileSync(join(bin, 'node'), '#!/bin/sh\n');
    chmodSync(join(bin, 'node'), 0o755);
    expect(await resolveCommand('node', { cwd: root, path: bin })).toBe(join(bin, 'node'));
    rmSync(join(bin, 'node'));
  });

  it('resolves a path with a slash against cwd', async () => {
    expect(await resolveCommand('bin/tool', { cwd: root })).toBe(join(bin, 'tool'));
    expect(await resolveCommand(join(bin, 'tool'), { cwd: '/' })).toBe(join(bin, 'tool'));
  });

  it('refuses a bare name not on PATH with SERVER_COMMAND_NOT_FOUND naming it and the PATH searched', async () => {
    await expect(resolveCommand('pm-missing-tool', { cwd: root, path: bin })).rejects.toMatchObject({
      code: 'SERVER_COMMAND_NOT_FOUND', message: 'the server command "pm-missing-tool" is not on PATH',
      hint: `install pm-missing-tool, or give its full path in server.command (PATH searched: ${bin})`,
    });
    // A file that is not executable on PATH is not a match either.
    await expect(resolveCommand('plain', { cwd: root, path: bin })).rejects.toMatchObject({ code: 'SERVER_COMMAND_NOT_FOUND' });
  });

  it('refuses a missing path, and a path that is not an executable file', async () => {
    await expect(resolveCommand(join(root, 'bin', 'gone'), { cwd: root })).rejects.toMatchObject({
      code: 'SERVER_COMMAND_NOT_FOUND', message: `the server command ${join(bin, 'gone')} does not exist`,
    });
    await expect(resolveCommand(join(bin, 'plain'), { cwd: root })).rejects.toMatchObject({
      code: 'SERVER_COMMAND_NOT_EXECUTABLE', message: `the server command ${join(bin, 'plain')} is not an executable file`,
    });
    await expect(resolveCommand(bin, { cwd: root })).rejects.toMatchObject({ code: 'SERVER_COMMAND_NOT_EXECUTABLE' });
  });
});
