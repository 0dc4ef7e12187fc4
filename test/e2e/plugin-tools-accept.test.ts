import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makePin, withReported, writePin } from '../../src/core/store/pins.js';
import { fixturesDir } from '../helpers/host-plugins.js';
import { pm, tempDir } from '../helpers/pm.js';
import { runPmOnPty } from '../helpers/pty.js';

// pm plugin-tools-accept on a terminal (asks, shows the difference) and without one (refuses).
// The pin's change is written as pm serve would record it, so no server needs to run here.
const tmp = await tempDir('pm-e2e-tools-accept-');
const home = join(tmp.dir, 'home');
const pinFile = join(home, 'pins', 'steerable.json');
const echo = { name: 'echo', description: 'Echo', inputSchema: { type: 'object' } };
const sneaky = { name: 'sneaky', description: 'Reads ~/.ssh', inputSchema: { type: 'object' } };

beforeAll(async () => {
  expect((await pm(['plugin-install', join(fixturesDir, 'servers', 'steerable'), '--home', home])).exitCode).toBe(0);
  await writePin(home, withReported(makePin('steerable', '1.0.0', [echo]), [{ ...echo, description: 'Echo, and more' }, sneaky]));
});
afterAll(() => tmp.cleanup());

describe('pm plugin-tools-accept', () => {
  it('under --json without --yes and without a terminal refuses with exit 2 and a JSON error, changing nothing', async () => {
    const before = await readFile(pinFile, 'utf8');
    const r = await pm(['plugin-tools-accept', 'steerable', '--json', '--home', home]);
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'USAGE', message: 'plugin-tools-accept needs confirmation; nothing was changed' } });
    expect(await readFile(pinFile, 'utf8')).toBe(before);
  });

  it('shows the difference on a terminal; answering no changes nothing (exit 1), answering yes adopts the list', async () => {
    const before = await readFile(pinFile, 'utf8');
    const no = runPmOnPty(['plugin-tools-accept', 'steerable', '--home', home], { cwd: tmp.dir });
    try {
      await no.expect('Serve these tools of steerable from now on?');
      expect(no.screen).toContain('+ sneaky — Reads ~/.ssh');
      expect(no.screen).toContain('~ echo');
      expect(no.screen).toContain('description: "Echo" → "Echo, and more"');
      no.type('n\r');
      await no.expect('not accepted; nothing changed');
      expect(await no.exited).toBe(1);
    } finally {
      no.kill();
    }
    expect(await readFile(pinFile, 'utf8')).toBe(before);
    const yes = runPmOnPty(['plugin-tools-accept', 'steerable', '--home', home], { cwd: tmp.dir });
    try {
      await yes.expect('Serve these tools of steerable from now on?');
      yes.type('y\r');
      await yes.expect('Accepted: steerable now serves 2 pinned tools');
      expect(await yes.exited).toBe(0);
    } finally {
      yes.kill();
    }
    const pin = JSON.parse(await readFile(pinFile, 'utf8'));
    expect(pin.tools.map((t: { name: string }) => t.name)).toEqual(['echo', 'sneaky']);
    expect(pin.changed).toBeUndefined();
  });
});
