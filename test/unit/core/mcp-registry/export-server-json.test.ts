import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportServerJson, serverJsonOf } from '../../../../src/core/mcp-registry/export-server-json.js';
import { SERVER_JSON_SCHEMA_URL } from '../../../../src/core/mcp-registry/server-json.js';
import type { Manifest } from '../../../../src/core/manifest/types.js';
import { repoRoot, tempDir } from '../../../helpers/pm.js';
import { serverJsonValidator } from '../../../helpers/server-json-schema.js';

const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', name);
const validate = serverJsonValidator();
const tmp = await tempDir('pm-server-json-');
afterAll(() => tmp.cleanup());

const SHA = 'fe333e598595000ae021bd27117db32ec69af6987f507ba7a63c90638ff633ce';

describe('exportServerJson', () => {
  it('writes an npm plugin as a server.json the official 2025-12-11 schema accepts, secrets as isSecret inputs without values', async () => {
    const out = join(tmp.dir, 'npm.json');
    const r = await exportServerJson(fixture('server-json-npm'), { out });
    const written = JSON.parse(await readFile(out, 'utf8'));
    expect(written).toEqual(r.serverJson);
    expect(validate(written)).toEqual([]);
    expect(written).toMatchObject({
      $schema: SERVER_JSON_SCHEMA_URL, name: 'io.github.ada-lovelace/weather', version: '1.4.0',
      repository: { url: 'https://github.com/ada-lovelace/weather-mcp', source: 'github' },
    });
    const pkg = written.packages[0];
    expect(pkg).toMatchObject({ registryType: 'npm', identifier: '@ada/weather-mcp', version: '1.4.2', runtimeHint: 'npx', transport: { type: 'stdio' } });
    expect(pkg.packageArguments).toEqual([{ type: 'named', name: '--units', description: 'Units of measure', default: 'metric', choices: ['metric', 'imperial'] }]);
    expect(pkg.environmentVariables).toEqual([
      { name: 'WEATHER_API_KEY', description: 'pm secret WEATHER_API_KEY', isRequired: true, isSecret: true },
      { name: 'WEATHER_AUTH', value: 'Bearer {WEATHER_TOKEN}', isSecret: true, variables: { WEATHER_TOKEN: { description: 'pm secret WEATHER_TOKEN', isRequired: true, isSecret: true } } },
      { name: 'WEATHER_REGION', description: 'Region code, e.g. eu', isRequired: true },
      { name: 'LOG_LEVEL', default: 'info' },
    ]);
    expect(r.dropped.map((d) => d.where)).toEqual(['server.args[3..4]', 'server.env.WEATHER_HOME']);
  });

  it('writes a PyPI plugin without pm\'s python launcher arguments', async () => {
    const { serverJson } = await exportServerJson(fixture('server-json-pypi'));
    expect(validate(serverJson)).toEqual([]);
    expect(serverJson.name).toBe('io.github.py-dev/fetch');
    expect(serverJson.packages).toEqual([{
      registryType: 'pypi', identifier: 'mcp-server-fetch', version: '0.6.2', runtimeHint: 'uvx', transport: { type: 'stdio' },
      packageArguments: [{ type: 'positional', value: '--ignore-robots-txt' }],
      environmentVariables: [{ name: 'FETCH_TOKEN', description: 'pm secret FETCH_TOKEN', isRequired: true, isSecret: true }],
    }]);
  });

  it('lists an .mcpb given by --package-url and --file-sha256, for a module plugin too', async () => {
    const { serverJson } = await exportServerJson(fixture('valid-full'), { name: 'org.example/notes', packageUrl: 'https://github.com/ada/notes/releases/download/v1.2.0/notes-1.2.0.mcpb', fileSha256: SHA });
    expect(validate(serverJson)).toEqual([]);
    expect(serverJson.packages).toEqual([{ registryType: 'mcpb', identifier: 'https://github.com/ada/notes/releases/download/v1.2.0/notes-1.2.0.mcpb', version: '1.2.0', fileSha256: SHA, transport: { type: 'stdio' } }]);
  });

  it('cuts a description longer than the registry allows and says so', () => {
    const m: Manifest = { name: 'x', version: '1.0.0', description: 'd'.repeat(150), server: { command: 'node' }, source: { type: 'npm', package: 'x' }, repository: 'github:o/x' } as Manifest;
    const r = serverJsonOf(m);
    expect(r.serverJson.description).toHaveLength(100);
    expect(validate(r.serverJson)).toEqual([]);
    expect(r.dropped).toContainEqual(expect.objectContaining({ where: 'description' }));
  });

  const refusals: [string, string, object, string, string][] = [
    ['a plugin without a GitHub URL or --name', 'valid-full', {}, 'EXPORT_NAME_MISSING', 'notes has no GitHub URL to derive its registry name from'],
    ['a module plugin without a package', 'valid-full', { name: 'org.example/notes' }, 'EXPORT_NO_PACKAGE', 'notes is a module plugin: server.json needs a package a registry client can fetch and run (npm, PyPI or .mcpb)'],
    ['a name that is not reverse-DNS', 'server-json-npm', { name: 'weather' }, 'EXPORT_NAME_INVALID', '--name "weather" is not a registry server name'],
    ['a package URL without its sha256', 'valid-full', { name: 'org.example/notes', packageUrl: 'https://example.org/n.mcpb' }, 'EXPORT_PACKAGE_INVALID', 'an .mcpb package needs both --package-url'],
    ['an upper-case sha256', 'valid-full', { name: 'org.example/notes', packageUrl: 'https://example.org/n.mcpb', fileSha256: SHA.toUpperCase() }, 'EXPORT_PACKAGE_INVALID', 'an .mcpb package needs both --package-url'],
  ];
  it.each(refusals)('refuses %s and writes nothing', async (_, dir, opts, code, message) => {
    const out = join(tmp.dir, `refused-${code}.json`);
    const err = await exportServerJson(fixture(dir), { ...opts, out }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code });
    expect((err as Error).message).toContain(message);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a local server plugin (mcp-add) naming the way out', () => {
    const m = { name: 'local', version: '0.0.0', description: 'x', server: { command: 'python3' }, source: { type: 'local' } } as Manifest;
    expect(() => serverJsonOf(m, { name: 'org.example/local' })).toThrow(/local is a server plugin from a local source: server.json needs a package/);
  });
});
