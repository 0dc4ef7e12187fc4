import { afterAll, describe, expect, it } from 'vitest';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { deleteRegistry, getRegistry, listRegistries, saveRegistry, type RegistryConfig } from '../../../../src/core/marketplace/registries-config.js';
import { tempDir } from '../../../helpers/pm.js';

const tmp = await tempDir();
afterAll(() => tmp.cleanup());
const reg = (name: string): RegistryConfig => ({ name, url: 'https://x.example/', keys: [], fingerprints: [], allowUnsigned: true, addedAt: '2026-01-01T00:00:00Z' });

describe('registries in config.json', () => {
  it('keeps the other settings of config.json and the order registries were added in', async () => {
    const home = join(tmp.dir, 'a');
    await mkdir(home);
    await writeFile(join(home, 'config.json'), JSON.stringify({ trust: { policy: 'strict' }, webhooks: [1] }));
    await saveRegistry(home, reg('b'));
    await saveRegistry(home, reg('a'));
    expect((await listRegistries(home)).map((r) => r.name)).toEqual(['b', 'a']);
    const cfg = JSON.parse(await readFile(join(home, 'config.json'), 'utf8'));
    expect(cfg.trust).toEqual({ policy: 'strict' });
    expect(cfg.webhooks).toEqual([1]);
    expect(await deleteRegistry(home, 'b')).toBe(true);
    expect(await deleteRegistry(home, 'b')).toBe(false);
    expect((await listRegistries(home)).map((r) => r.name)).toEqual(['a']);
  });

  it('names the configured registries when one is unknown', async () => {
    const home = join(tmp.dir, 'b');
    await saveRegistry(home, reg('main'));
    await expect(getRegistry(home, 'nope')).rejects.toMatchObject({ code: 'REGISTRY_UNKNOWN', message: 'no registry named nope', hint: 'configured: main' });
  });

  it('refuses a config.json that is not JSON and leaves it alone', async () => {
    const home = join(tmp.dir, 'c');
    await mkdir(home);
    await writeFile(join(home, 'config.json'), '{oops');
    await expect(saveRegistry(home, reg('x'))).rejects.toMatchObject({ code: 'CONFIG_FILE_CORRUPT' });
    expect(await readFile(join(home, 'config.json'), 'utf8')).toBe('{oops');
  });
});
