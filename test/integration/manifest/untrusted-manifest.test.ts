import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pm, tempDir } from '../../helpers/pm.js';
import { snapshot, storePlugin, writeRawTgz } from '../../helpers/store.js';
import { validatePlugin } from '../../../src/core/validate/validate-plugin.js';
import { packPlugin } from '../../../src/core/pack/pack-plugin.js';
import { readTarballManifest } from '../../../src/core/pack/read-tarball-manifest.js';
import { installPlugin } from '../../../src/core/store/install.js';
import { MAX_MANIFEST_BYTES } from '../../../src/core/manifest/read.js';
import { createHost } from '../../../src/host/host.js';
import type { PmError } from '../../../src/core/errors.js';

const tmp = await tempDir('pm-untrusted-manifest-');
afterAll(() => tmp.cleanup());

const DEPTH = 20_000;
/** A manifest with one field nested 20,000 levels deep (the attack of issue 13.2). */
const deepManifest = (name: string) => `{"name":"${name}","version":"1.0.0","description":"deep","main":"index.js","x":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}}`;

async function folderWith(name: string, manifest: string | Buffer): Promise<string> {
  const dir = await storePlugin(join(tmp.dir, 'src', name), name, '1.0.0');
  await writeFile(join(dir, 'plugin.json'), manifest);
  return dir;
}

async function refusal(p: Promise<unknown>): Promise<PmError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeDefined();
  return err as PmError;
}

/** Every way a plugin.json enters pm must refuse the same bad manifest the same way, writing nothing. */
async function refusedEverywhere(name: string, manifest: string | Buffer, code: string, message: RegExp): Promise<void> {
  const dir = await folderWith(name, manifest);
  const report = await validatePlugin(dir);
  expect(report.ok).toBe(false);
  expect(report.errors.map((f) => f.code)).toContain(code);
  expect(report.errors.find((f) => f.code === code)!.message).toMatch(message);

  const out = join(tmp.dir, `out-${name}`);
  await mkdir(out);
  const packErr = await refusal(packPlugin(dir, { outDir: out }));
  expect(packErr.message).toMatch(message);
  expect(await readdir(out)).toEqual([]);

  const home = join(tmp.dir, `home-${name}`);
  await mkdir(home);
  // The store's own empty staging folder may appear; a half-written plugin would show inside it.
  const state = async () => Object.fromEntries(Object.entries(await snapshot(home, (rel) => rel.endsWith('store.lock') || rel.endsWith('audit.log'))).filter(([k]) => k !== 'staging/'));
  const before = await state();
  const installErr = await refusal(installPlugin(dir, { home }));
  expect([installErr.code, installErr.kind]).toEqual([code, 'validation']);
  expect(installErr.message).toMatch(message);
  expect(await state()).toEqual(before);

  const tgz = await writeRawTgz(join(tmp.dir, `${name}-1.0.0.tgz`), [
    { path: 'package/plugin.json', body: manifest },
    { path: 'package/index.js', body: 'export default {};\n' },
  ]);
  const tgzErr = await refusal(installPlugin(tgz, { home, allowUnsigned: true }));
  // The size is checked from the tar header, before the manifest is read.
  if (code === 'MANIFEST_TOO_LARGE') expect(tgzErr.code).toBe('TAR_MANIFEST_TOO_LARGE');
  else expect([tgzErr.code, tgzErr.data?.reason]).toEqual(['TAR_BAD_MANIFEST', code]);
  expect(tgzErr.message).toMatch(message);
  expect(await state()).toEqual(before);

  // registry-build reads manifests of packages this way.
  expect((await refusal(readTarballManifest(tgz))).message).toMatch(message);
}

describe('untrusted plugin.json', () => {
  it('deep-manifest-refused-at-every-entry-point: validate, package, folder install, package install and registry-build refuse 20,000 levels of nesting with a clear message', async () => {
    await refusedEverywhere('deep', deepManifest('deep'), 'MANIFEST_TOO_DEEP', /nested more than 64 levels deep/);
  });

  it('manifest-size-limit-is-one-limit: validate, package and folder install all refuse a plugin.json over 1 MiB', async () => {
    const big = JSON.stringify({ name: 'big', version: '1.0.0', description: 'big', main: 'index.js', pad: 'x'.repeat(MAX_MANIFEST_BYTES) });
    await refusedEverywhere('big', big, 'MANIFEST_TOO_LARGE', /the limit is 1048576|larger than the 1048576-byte/);
  });

  it('invalid-utf8-manifest-refused: a plugin.json that is not UTF-8 is refused, not read with replacement characters', async () => {
    const bytes = Buffer.concat([Buffer.from('{"name":"latin","version":"1.0.0","description":"caf'), Buffer.from([0xe9]), Buffer.from('","main":"index.js"}')]);
    await refusedEverywhere('latin', bytes, 'MANIFEST_NOT_UTF8', /is not valid UTF-8/);
  });

  it('deep-manifest-refused-at-every-entry-point: the CLI says so with exit 3 (validate, install)', async () => {
    const dir = await folderWith('deepcli', deepManifest('deepcli'));
    const home = join(tmp.dir, 'home-cli');
    const v = await pm(['plugin-validate', dir]);
    expect(v.exitCode).toBe(3);
    expect(v.stdout + v.stderr).toMatch(/plugin\.json:1:\d+: nested more than 64 levels deep/);
    expect(v.stdout + v.stderr).not.toMatch(/call stack/);
    const i = await pm(['plugin-install', dir, '--home', home]);
    expect(i.exitCode).toBe(3);
    expect(i.stderr).toMatch(/nested more than 64 levels deep/);
    expect((await pm(['plugin-list', '--home', home])).stdout).toMatch(/No plugins installed/);
  });
});

describe('Host.reload fails safe', () => {
  async function servedHome(name: string): Promise<string> {
    const home = join(tmp.dir, `served-${name}`);
    await mkdir(home);
    const dir = await storePlugin(join(tmp.dir, 'src', name), name, '1.0.0', {
      contributes: { tools: [{ name: 'ping', description: 'ping', inputSchema: { type: 'object' } }] },
    });
    await writeFile(join(dir, 'index.js'), 'export default { tools: { ping: async () => ({ content: [{ type: "text", text: "pong" }] }) } };\n');
    await installPlugin(dir, { home });
    return home;
  }

  it('deep-manifest-refused-at-every-entry-point: host reload stops serving a plugin whose plugin.json became 20,000 levels deep, and says so', async () => {
    const home = await servedHome('turns-deep');
    const logs: string[] = [];
    const host = await createHost({ home, options: { log: ({ message }) => logs.push(message) } });
    try {
      expect(host.listTools().map((t) => t.name)).toEqual(['turns-deep.ping']);
      await writeFile(join(home, 'plugins', 'turns-deep', 'plugin.json'), deepManifest('turns-deep'));
      const r = await host.reload();
      expect(r.removed).toEqual(['turns-deep']);
      expect(host.listTools()).toEqual([]);
      expect(logs.join('\n')).toMatch(/skipping plugin turns-deep: .*nested more than 64 levels deep/);
    } finally {
      await host.close();
    }
  });

  it('reload-never-keeps-serving-the-old-set: when the store cannot be read at all, every plugin stops being served and the log says why', async () => {
    const home = await servedHome('store-breaks');
    const logs: string[] = [];
    const host = await createHost({ home, options: { log: ({ level, message }) => logs.push(`${level}: ${message}`) } });
    try {
      expect(host.listTools()).toHaveLength(1);
      await writeFile(join(home, 'state.json'), '{ not json');
      const r = await host.reload();
      expect(r.removed).toEqual(['store-breaks']);
      expect(r.failed).toEqual([{ plugin: '*', message: expect.any(String) }]);
      expect(host.listTools()).toEqual([]);
      await expect(host.callTool('store-breaks.ping')).rejects.toMatchObject({ code: 'TOOL_NOT_FOUND' });
      expect(logs.join('\n')).toMatch(/error: cannot reload the plugins .*stopped serving all of them/);
    } finally {
      await host.close();
    }
  });

  it('reload-never-keeps-serving-the-old-set: a plugin whose new state cannot be applied is stopped and listed as failed; the others keep serving', async () => {
    const home = await servedHome('stays');
    const host = await createHost({ home, options: { log: () => {} } });
    try {
      const [stays] = host.plugins();
      // A manifest whose comparison throws stands for any state the host cannot apply.
      const bad = { ...stays!, name: 'bad', manifest: { ...stays!.manifest, name: 'bad', toJSON() { throw new Error('cannot apply'); } } };
      await host.reload([stays!, bad]);
      expect(host.plugins().map((p) => p.name).sort()).toEqual(['bad', 'stays']);
      const r = await host.reload([stays!, { ...bad, config: { changed: true } }]);
      expect(r.failed).toEqual([{ plugin: 'bad', message: 'cannot apply' }]);
      expect(host.plugins().map((p) => p.name)).toEqual(['stays']);
      expect((await host.callTool('stays.ping')).content).toEqual([{ type: 'text', text: 'pong' }]);
    } finally {
      await host.close();
    }
  });
});
