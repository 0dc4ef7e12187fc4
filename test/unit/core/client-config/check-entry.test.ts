import { afterAll, describe, expect, it } from 'vitest';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { entryProblems, GUI_PATH, looksLikePm } from '../../../../src/core/client-config/check-entry.js';
import { pmServerEntry } from '../../../../src/core/client-config/entry.js';
import { pmBin, tempDir } from '../../../helpers/pm.js';

const tmp = await tempDir();
afterAll(() => tmp.cleanup());

describe('entryProblems', () => {
  it('accepts the entry pm generates (absolute node, absolute bin/pm.js, PM_HOME)', () => {
    const entry = pmServerEntry({ home: '/h' });
    expect(entry.command).toBe(process.execPath);
    expect(entry.args).toEqual([pmBin, 'serve', '--mcp']);
    expect(entryProblems(entry, 'claude-desktop', { gui: [] })).toEqual([]);
  });

  it('refuses a bare "pm" for a GUI client: spawn pm ENOENT', () => {
    const [p] = entryProblems({ command: 'pm', args: ['serve', '--mcp'], env: { PM_HOME: '/h' } }, 'claude-desktop', { gui: GUI_PATH });
    expect(p?.severity).toBe('fail');
    expect(p?.message).toContain('"command": "pm" is not on a GUI client\'s PATH');
    expect(p?.message).toContain('spawn pm ENOENT');
  });

  it('refuses an absolute pm script whose "#!/usr/bin/env node" finds no node on the GUI PATH', async () => {
    const bin = join(tmp.dir, 'nvm', 'bin');
    await mkdir(bin, { recursive: true });
    const script = join(bin, 'pm');
    await writeFile(script, '#!/usr/bin/env node-from-nvm\n');
    await chmod(script, 0o755);
    const problems = entryProblems({ command: script, args: ['serve', '--mcp'], env: { PM_HOME: '/h' } }, 'cursor', { gui: GUI_PATH });
    expect(problems.map((p) => p.message)).toEqual([`${script} starts with "#!/usr/bin/env node-from-nvm" and node-from-nvm is not on a GUI client's PATH (/usr/bin:/bin:/usr/sbin:/sbin) (nvm and Homebrew installs are not)`]);
  });

  it('accepts a bare command for Claude Code when it is on the shell PATH', async () => {
    const bin = join(tmp.dir, 'shell-bin');
    await mkdir(bin, { recursive: true });
    await writeFile(join(bin, 'pm'), '#!/bin/sh\n');
    await chmod(join(bin, 'pm'), 0o755);
    expect(entryProblems({ command: 'pm', args: ['serve', '--mcp'], env: { PM_HOME: '/h' } }, 'claude-code', { shell: bin })).toEqual([]);
  });

  it('names a missing script, missing serve --mcp and a missing PM_HOME', () => {
    const messages = entryProblems({ command: process.execPath, args: ['/nowhere/pm.js'] }, 'claude-desktop').map((p) => `${p.severity}: ${p.message}`);
    expect(messages).toEqual([
      'fail: node would run /nowhere/pm.js, which does not exist',
      'fail: the arguments lack "serve" and "--mcp": pm would print its help and exit',
      'warn: sets no PM_HOME, so it serves ~/.pm of whatever user the client runs as',
    ]);
  });

  it('recognises pm entries by name or by a pm / pm.js / pmkit word', () => {
    expect(looksLikePm('pm', { command: 'x' })).toBe(true);
    expect(looksLikePm('tools', { command: '/usr/bin/node', args: ['/a/pmkit/bin/pm.js'] })).toBe(true);
    expect(looksLikePm('fs', { command: 'npx', args: ['@modelcontextprotocol/server-filesystem'] })).toBe(false);
  });
});
