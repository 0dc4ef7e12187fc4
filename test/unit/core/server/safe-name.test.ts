import { describe, expect, it } from 'vitest';
import { fitsWire, MAX_WIRE_NAME, renamedOnly, safeName, safeNames, WIRE_NAME } from '../../../../src/core/server/safe-name.js';

describe('safeName', () => {
  it('keeps a name that already fits the wire rule', () => {
    expect(safeName('weather', 'get_forecast')).toBe('get_forecast');
    expect(fitsWire('weather', 'get-forecast')).toBe(true);
  });

  it('replaces characters outside [A-Za-z0-9_-] and adds a hash suffix', () => {
    const s = safeName('fs', 'files.read file');
    expect(s).toMatch(/^files_read_file-[0-9a-f]{8}$/);
    expect(WIRE_NAME.test(s)).toBe(true);
  });

  it('is deterministic: the same name always gives the same safe name', () => {
    expect(safeName('fs', 'a.b')).toBe(safeName('fs', 'a.b'));
    expect(safeName('fs', 'a.b')).not.toBe(safeName('fs', 'a:b'));
  });

  it('cuts names that would make <plugin>__<name> longer than 64 characters', () => {
    const long = 'x'.repeat(80);
    const s = safeName('my-plugin', long);
    expect(`my-plugin__${s}`.length).toBe(MAX_WIRE_NAME);
    expect(s).toMatch(/-[0-9a-f]{8}$/);
  });

  it('fits even the longest plugin name (50 characters)', () => {
    const plugin = 'p'.repeat(50);
    const s = safeName(plugin, 'some.tool.name.that.is.long');
    expect(`${plugin}__${s}`.length).toBeLessThanOrEqual(MAX_WIRE_NAME);
    expect(WIRE_NAME.test(s)).toBe(true);
  });

  it('gives a name of only non-ASCII characters a valid name', () => {
    const s = safeName('p', 'überprüfen');
    expect(WIRE_NAME.test(s)).toBe(true);
  });

  it('counts the budget with the separator given', () => {
    const name = 'y'.repeat(60);
    expect(fitsWire('ab', name, '_')).toBe(true);
    expect(fitsWire('ab', name, '___')).toBe(false);
  });
});

describe('safeNames', () => {
  it('maps safe names back to the server names, and leaves fitting names alone', () => {
    const map = safeNames('fs', ['read', 'dir.list']);
    expect(map.get('read')).toBe('read');
    const safe = [...map.keys()].find((k) => map.get(k) === 'dir.list')!;
    expect(safe).toMatch(/^dir_list-[0-9a-f]{8}$/);
    expect(renamedOnly(map)).toEqual([{ name: 'dir.list', safe }]);
  });

  it('never lets a renamed name take a name the server gave to another tool', () => {
    const taken = safeName('fs', 'a.b');
    const map = safeNames('fs', ['a.b', taken]);
    expect(map.get(taken)).toBe(taken);
    const other = [...map.keys()].find((k) => map.get(k) === 'a.b')!;
    expect(other).not.toBe(taken);
    expect(WIRE_NAME.test(other)).toBe(true);
    expect(map.size).toBe(2);
  });
});
