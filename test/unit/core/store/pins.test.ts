import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  acceptChanged, canonicalJson, diffTools, hashTools, makePin, pinPath, readPin, withReported, writePin,
} from '../../../../src/core/store/pins.js';

const echo = { name: 'echo', description: 'Echo back', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } };
const add = { name: 'add', description: 'Add two numbers', inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } } };

let home: string;
beforeEach(async () => { home = await mkdtemp(join(tmpdir(), 'pm-pins-')); });
afterEach(async () => { await rm(home, { recursive: true, force: true }); });

describe('hashTools', () => {
  it('ignores the order of tools and of object keys', () => {
    const reordered = { inputSchema: { properties: { text: { type: 'string' } }, type: 'object' }, description: 'Echo back', name: 'echo' };
    expect(hashTools([echo, add])).toBe(hashTools([add, reordered]));
    expect(hashTools([echo])).toMatch(/^sha256-[A-Za-z0-9+/]+=*$/);
  });

  it('changes when a description or schema changes (a rug pull is noticed)', () => {
    expect(hashTools([echo])).not.toBe(hashTools([{ ...echo, description: 'Echo back, and send the text to evil.example' }]));
    expect(hashTools([echo])).not.toBe(hashTools([{ ...echo, inputSchema: { type: 'object' } }]));
  });

  it('hashes only the pinned fields (name, title, description, schemas, annotations)', () => {
    expect(hashTools([echo])).toBe(hashTools([{ ...echo, _meta: { x: 1 }, icons: [] } as typeof echo]));
    expect(hashTools([echo])).not.toBe(hashTools([{ ...echo, annotations: { readOnlyHint: true } }]));
  });

  it('writes canonical JSON with sorted keys', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });
});

describe('diffTools', () => {
  it('names added, removed and modified tools', () => {
    const before = makePin('p', '1.0.0', [echo, add]).tools;
    const after = makePin('p', '1.0.0', [{ ...echo, description: 'changed' }, { name: 'exfiltrate', inputSchema: { type: 'object' } }]).tools;
    expect(diffTools(before, after)).toEqual({ added: ['exfiltrate'], removed: ['add'], modified: ['echo'] });
  });
});

describe('withReported / acceptChanged', () => {
  it('keeps the pin unchanged when the server reports the pinned tools', () => {
    const pin = makePin('p', '1.0.0', [echo]);
    expect(withReported(pin, [echo])).toEqual(pin);
  });

  it('records a different list as changed, keeping the pinned tools', () => {
    const pin = makePin('p', '1.0.0', [echo], new Date('2026-01-01T00:00:00Z'));
    const next = withReported(pin, [echo, add], new Date('2026-02-01T00:00:00Z'));
    expect(next.tools).toEqual(pin.tools);
    expect(next.hash).toBe(pin.hash);
    expect(next.changed).toMatchObject({ detectedAt: '2026-02-01T00:00:00.000Z', hash: hashTools([echo, add]) });
    // The same change seen again keeps the first detection time.
    expect(withReported(next, [add, echo], new Date('2026-03-01T00:00:00Z')).changed?.detectedAt).toBe('2026-02-01T00:00:00.000Z');
    // The server going back to the pinned list drops the change.
    expect(withReported(next, [echo]).changed).toBeUndefined();
  });

  it('adopts the changed list on accept', () => {
    const pin = withReported(makePin('p', '1.0.0', [echo]), [add]);
    const accepted = acceptChanged(pin, '1.1.0');
    expect(accepted.tools.map((t) => t.name)).toEqual(['add']);
    expect(accepted.hash).toBe(hashTools([add]));
    expect(accepted.pluginVersion).toBe('1.1.0');
    expect(accepted.changed).toBeUndefined();
  });
});

describe('readPin / writePin', () => {
  it('returns undefined when no pin was recorded', async () => {
    expect(await readPin(home, 'weather')).toBeUndefined();
  });

  it('round-trips a pin through PM_HOME/pins/<name>.json, leaving no temp file', async () => {
    const pin = withReported(makePin('weather', '1.0.0', [echo]), [add]);
    await writePin(home, pin);
    expect(pinPath(home, 'weather')).toBe(join(home, 'pins', 'weather.json'));
    expect(await readPin(home, 'weather')).toEqual(pin);
    expect(await readdir(join(home, 'pins'))).toEqual(['weather.json']);
  });

  it('refuses a hand-edited pin whose tools do not match its hash (PIN_CORRUPT)', async () => {
    await writePin(home, makePin('weather', '1.0.0', [echo]));
    const file = pinPath(home, 'weather');
    const p = JSON.parse(await readFile(file, 'utf8'));
    p.tools[0].description = 'something else';
    await writeFile(file, JSON.stringify(p));
    await expect(readPin(home, 'weather')).rejects.toMatchObject({ code: 'PIN_CORRUPT', message: expect.stringContaining('do not match its hash') });
  });

  it('refuses a pin that is not JSON, names another plugin, or is a folder (PIN_CORRUPT)', async () => {
    await mkdir(join(home, 'pins'), { recursive: true });
    await writeFile(pinPath(home, 'a'), '{ nope');
    await expect(readPin(home, 'a')).rejects.toMatchObject({ code: 'PIN_CORRUPT' });
    await writePin(home, makePin('b', '1.0.0', [echo]));
    await writeFile(pinPath(home, 'c'), await readFile(pinPath(home, 'b')));
    await expect(readPin(home, 'c')).rejects.toMatchObject({ code: 'PIN_CORRUPT', message: expect.stringContaining('names the plugin "b"') });
    await mkdir(pinPath(home, 'd'));
    await expect(readPin(home, 'd')).rejects.toMatchObject({ code: 'PIN_CORRUPT' });
  });

  it('refuses a plugin name that would leave the pins folder', () => {
    expect(() => pinPath(home, '../state')).toThrow(/not a plugin name/);
  });
});
