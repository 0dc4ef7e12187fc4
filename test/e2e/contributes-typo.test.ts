import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pm, tempDir } from '../helpers/pm.js';

const tmp = await tempDir();
afterAll(() => tmp.cleanup());

const TYPO = 'error   contributes.tool: is not a kind of contribution; did you mean "tools"? — rename it to "tools"';
const UNDECLARED = 'error   contributes.tools: the entry implements tool "greet", which plugin.json does not declare — declare it in contributes.tools (name, description, inputSchema) or remove it from the entry';

/** A plugin whose entry implements tools.greet, with the given contributes. */
async function plugin(name: string, contributes: Record<string, unknown> | undefined): Promise<string> {
  const dir = join(tmp.dir, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'plugin.json'), JSON.stringify({
    name, version: '1.0.0', description: 'Says hello', license: 'MIT', main: 'index.mjs', ...(contributes ? { contributes } : {}),
  }));
  await writeFile(join(dir, 'index.mjs'), 'export default { tools: { greet: async () => "hello" } };\n');
  return dir;
}

const greet = { name: 'greet', description: 'Say hello', inputSchema: { type: 'object' } };

describe('a typo in contributes hides no plugin (issue 21.3)', () => {
  it('plugin-validate: contributes.tool is an error with a did-you-mean, and greet is reported as undeclared (exit 3)', async () => {
    const dir = await plugin('typo', { tool: [greet] });
    const r = await pm(['plugin-validate', dir]);
    expect(r.exitCode).toBe(3);
    expect(r.stdout.split('\n')).toEqual([TYPO, UNDECLARED, '✖ 2 errors']);
  });

  it('plugin-validate: an implemented tool is reported even when the manifest has no contributes at all', async () => {
    const dir = await plugin('bare', undefined);
    const r = await pm(['plugin-validate', dir]);
    expect(r.exitCode).toBe(3);
    expect(r.stdout.split('\n')).toEqual([UNDECLARED, '✖ 1 error']);
  });

  it('plugin-package refuses it with exit 3, lists both errors, and writes no package', async () => {
    const dir = await plugin('typo-pack', { tool: [greet] });
    const out = join(tmp.dir, 'out-pack');
    await mkdir(out);
    const r = await pm(['plugin-package', dir, '--out', out]);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toContain(TYPO);
    expect(r.stderr).toContain(UNDECLARED);
    expect(r.stderr).toContain('error: ' + `${dir} is not a valid plugin (2 errors; first: contributes.tool: is not a kind of contribution; did you mean "tools"?)`);
    expect(await readdir(out)).toEqual([]);
  });

  it('plugin-install of the folder runs the same validation: exit 3, the report, and nothing installed', async () => {
    const home = join(tmp.dir, 'home-typo');
    for (const [name, contributes] of [['typo-install', { tool: [greet] }], ['undeclared-install', { tools: [] }]] as const) {
      const dir = await plugin(name, contributes);
      const r = await pm(['plugin-install', dir], { env: { PM_HOME: home } });
      expect(r.exitCode).toBe(3);
      expect(r.stderr).toContain(UNDECLARED);
      expect(r.stderr).toContain(`error: refused ${dir}: it is not a valid plugin`);
      expect(r.stderr).toContain(`hint: fix the errors listed above (pm plugin-validate ${dir} shows them too), then install again`);
    }
    const list = await pm(['plugin-list', '--json'], { env: { PM_HOME: home } });
    expect(JSON.parse(list.stdout)).toEqual([]);
    expect(await readdir(join(home, 'plugins')).catch(() => [])).toEqual([]);
  });

  it('plugin-install of the corrected folder succeeds', async () => {
    const home = join(tmp.dir, 'home-ok');
    const dir = await plugin('fixed', { tools: [greet] });
    const r = await pm(['plugin-install', dir], { env: { PM_HOME: home } });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  });
});
