import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listedTools } from '../../../../src/core/store/plugin-tools.js';
import { makePin, writePin } from '../../../../src/core/store/pins.js';
import type { Manifest } from '../../../../src/core/manifest/types.js';
import { tempDir } from '../../../helpers/pm.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  tmp = await tempDir('pm-plugin-tools-');
  await mkdir(join(tmp.dir, 'pins'));
});
afterEach(() => tmp.cleanup());

const tools = [{ name: 'a', description: 'A' }];
const server = { command: 'node', args: ['server.js'] };

describe('listedTools', () => {
  it('is the manifest\'s declared tools, or none for a module plugin', async () => {
    expect(await listedTools(tmp.dir, 'p', { name: 'p', version: '1.0.0', contributes: { tools } } as Manifest)).toEqual(tools);
    expect(await listedTools(tmp.dir, 'p', { name: 'p', version: '1.0.0' } as Manifest)).toEqual([]);
  });

  it('is the pinned list of a server plugin that declares none (none before its first start)', async () => {
    const m = { name: 's', version: '1.0.0', server } as Manifest;
    expect(await listedTools(tmp.dir, 's', m)).toEqual([]);
    await writePin(tmp.dir, makePin('s', '1.0.0', [{ name: 'pinned', description: 'from the pin' }]));
    expect((await listedTools(tmp.dir, 's', m)).map((t) => t.name)).toEqual(['pinned']);
  });
});
