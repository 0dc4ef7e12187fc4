import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadHomePlugins } from '../../../src/host/home-plugins.js';
import { installPlugin } from '../../../src/core/store/install.js';
import { setSecret } from '../../../src/core/store/secrets.js';
import { storePlugin } from '../../helpers/store.js';
import { repoRoot, tempDir } from '../../helpers/pm.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let home: string;

/** The steerable fixture server as an installed plugin whose env references `${secret.USED}`. */
async function installServer(name: string, env: Record<string, string>): Promise<void> {
  const dir = join(tmp.dir, name);
  await cp(join(repoRoot, 'test', 'fixtures', 'servers', 'steerable'), dir, { recursive: true });
  const m = JSON.parse(await readFile(join(dir, 'plugin.json'), 'utf8'));
  await writeFile(join(dir, 'plugin.json'), JSON.stringify({ ...m, name, server: { ...m.server, env } }));
  await installPlugin(dir, { home });
}

beforeEach(async () => {
  tmp = await tempDir('pm-home-plugins-');
  home = join(tmp.dir, 'home');
});
afterEach(() => tmp.cleanup());

describe('loadHomePlugins secrets', () => {
  it('gives a server plugin only the secrets its server spec references', async () => {
    await setSecret('USED', 'used-value', { home });
    await setSecret('OTHER', 'other-value', { home });
    await installServer('srv', { TOKEN: 'Bearer ${secret.USED}' });
    await installPlugin(await storePlugin(join(tmp.dir, 'mod'), 'mod', '1.0.0'), { home });
    const plugins = await loadHomePlugins(home);
    expect(plugins.find((p) => p.name === 'srv')!.secrets).toEqual({ USED: 'used-value' });
    expect(plugins.find((p) => p.name === 'mod')!.secrets).toBeUndefined();
  });

  it('warns, naming the command to run, when a referenced secret is not set', async () => {
    await installServer('srv', { TOKEN: '${secret.MISSING_ONE}' });
    const warnings: string[] = [];
    const [p] = await loadHomePlugins(home, (m) => warnings.push(m));
    expect(p!.secrets).toEqual({});
    expect(warnings).toEqual(['plugin srv references a secret that is not set: MISSING_ONE; set it with pm secret-set MISSING_ONE']);
  });

  it('skips only the plugin that needs secrets when secrets.json is unsafe, with the reason', async () => {
    await setSecret('USED', 'used-value', { home });
    await installServer('srv', { TOKEN: '${secret.USED}' });
    await installPlugin(await storePlugin(join(tmp.dir, 'mod'), 'mod', '1.0.0'), { home });
    const { chmod } = await import('node:fs/promises');
    await chmod(join(home, 'secrets.json'), 0o640);
    const warnings: string[] = [];
    const plugins = await loadHomePlugins(home, (m) => warnings.push(m));
    expect(plugins.map((p) => p.name)).toEqual(['mod']);
    expect(warnings[0]).toMatch(/^skipping plugin srv: refusing to read the secrets in .*secrets\.json: its mode 0640/);
  });
});
