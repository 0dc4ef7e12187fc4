import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addLocalServer } from '../../../../src/core/sources/mcp-add.js';

let home: string;
beforeEach(async () => { home = await mkdtemp(join(tmpdir(), 'pm-mcp-add-')); });
afterEach(async () => { await rm(home, { recursive: true, force: true }); });

describe('addLocalServer', () => {
  it('registers the command as an unsigned local server plugin, making ./ paths absolute', async () => {
    const r = await addLocalServer('weather', ['python3', './weather.py', '--units', 'metric'], { home, yes: true, cwd: '/srv/w', env: ['UNITS=metric'] });
    expect(r).toMatchObject({ name: 'weather', version: '0.0.0', signer: null, source: { type: 'local', spec: 'python3 /srv/w/weather.py --units metric' } });
    const m = JSON.parse(await readFile(join(home, 'plugins', 'weather', 'plugin.json'), 'utf8'));
    expect(m.server).toEqual({ command: 'python3', args: ['/srv/w/weather.py', '--units', 'metric'], env: { UNITS: 'metric' } });
  });

  it('makes a relative command with a slash absolute', async () => {
    await addLocalServer('tool', ['bin/server'], { home, yes: true, cwd: '/opt/t' });
    expect(JSON.parse(await readFile(join(home, 'plugins', 'tool', 'plugin.json'), 'utf8')).server).toEqual({ command: '/opt/t/bin/server' });
  });

  it('refuses an invalid name, an empty command and a taken name, writing nothing', async () => {
    await expect(addLocalServer('Bad Name', ['x'], { home, yes: true })).rejects.toMatchObject({ code: 'SERVER_NAME_INVALID' });
    await expect(addLocalServer('ok', [], { home, yes: true })).rejects.toMatchObject({ code: 'SERVER_COMMAND_MISSING' });
    await expect(addLocalServer('ok', [' '], { home, yes: true })).rejects.toMatchObject({ code: 'SERVER_COMMAND_MISSING' });
    expect(await readdir(home)).toEqual([]);
    await addLocalServer('ok', ['cat'], { home, yes: true });
    await expect(addLocalServer('ok', ['cat'], { home, yes: true })).rejects.toMatchObject({ code: 'SERVER_NAME_TAKEN', hint: expect.stringContaining('pm plugin-uninstall ok') });
  });
});
