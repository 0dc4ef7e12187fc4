import { describe, expect, it } from 'vitest';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { mcpbConfigSchema, mcpbSecretName, mcpbServerSpec, validateMcpbManifest, type McpbManifest } from '../../../../src/core/sources/mcpb-manifest.js';

const base = (over: Record<string, unknown> = {}) => ({
  manifest_version: '0.3', name: 'demo', version: '1.0.0', description: 'd', author: { name: 'a' },
  server: { type: 'node', entry_point: 'i.js', mcp_config: { command: 'node', args: ['${__dirname}/i.js'] } }, ...over,
});

describe('validateMcpbManifest', () => {
  it.each(['0.1', '0.2', '0.3', '0.4'])('accepts a manifest of version %s (dxt_version too)', async (v) => {
    const m = v === '0.1' ? { ...base(), manifest_version: undefined, dxt_version: v } : { ...base(), manifest_version: v };
    await expect(validateMcpbManifest(JSON.parse(JSON.stringify(m)), 'x.mcpb')).resolves.toMatchObject({ name: 'demo' });
  });

  it('accepts the uv server type of 0.4 only', async () => {
    await expect(validateMcpbManifest(base({ manifest_version: '0.4', server: { type: 'uv', entry_point: 's.py', mcp_config: { command: 'uv', args: ['run', 's.py'] } } }), 'x.mcpb')).resolves.toBeTruthy();
    await expect(validateMcpbManifest(base({ server: { type: 'uv', entry_point: 's.py', mcp_config: { command: 'uv' } } }), 'x.mcpb')).rejects.toMatchObject({ code: 'MCPB_MANIFEST_INVALID' });
  });

  it('refuses an unknown manifest version and a manifest missing its server, naming the field', async () => {
    await expect(validateMcpbManifest(base({ manifest_version: '9.9' }), 'x.mcpb')).rejects.toThrow('declares manifest_version "9.9", not one of 0.1, 0.2, 0.3, 0.4');
    await expect(validateMcpbManifest(base({ server: undefined }), 'x.mcpb')).rejects.toThrow(/server: Required/);
  });
});

describe('mcpbServerSpec', () => {
  const m = base({
    server: { type: 'binary', entry_point: 'bin/s', mcp_config: {
      command: '${__dirname}/bin/s', args: ['--home=${HOME}', '--root=${user_config.root}'], env: { TOKEN: '${user_config.token}', A: '1' },
      platform_overrides: { win32: { command: '${__dirname}/bin/s.exe' }, darwin: { env: { A: '2' } } },
    } },
    user_config: { root: { type: 'directory', title: 'R', description: 'r' }, token: { type: 'string', title: 'T', description: 't', sensitive: true } },
  }) as unknown as McpbManifest;

  it('maps __dirname, user_config (sensitive to a plugin-scoped secret) and path variables onto pm substitutions', () => {
    expect(mcpbServerSpec(m, 'demo', 'linux')).toEqual({
      command: '${pluginDir}/bin/s', args: [`--home=${homedir()}`, '--root=${config.root}'], env: { TOKEN: '${secret.DEMO_TOKEN}', A: '1' },
    });
  });

  it('applies the platform override of the given platform', () => {
    expect(mcpbServerSpec(m, 'demo', 'win32').command).toBe('${pluginDir}/bin/s.exe');
    expect(mcpbServerSpec(m, 'demo', 'darwin').env).toEqual({ TOKEN: '${secret.DEMO_TOKEN}', A: '2' });
  });

  it('refuses a variable pm cannot map, and a user_config key the manifest does not declare', () => {
    const odd = (arg: string) => mcpbServerSpec({ ...m, server: { ...m.server, mcp_config: { command: 'x', args: [arg] } } }, 'demo', 'linux');
    expect(() => odd('${APPDATA}')).toThrow(expect.objectContaining({ code: 'MCPB_SUBSTITUTION_UNKNOWN' }));
    expect(() => odd('${user_config.nope}')).toThrow('user_config declares no "nope"');
    expect(odd('${DOCUMENTS}/x')).toEqual({ command: 'x', args: [`${join(homedir(), 'Documents')}/x`] });
  });
});

describe('mcpbConfigSchema', () => {
  it('turns the non-sensitive user_config entries into a JSON Schema with types, bounds, defaults and required keys', () => {
    const m = base({ user_config: {
      n: { type: 'number', title: 'N', description: 'n', min: 1, max: 5, required: true },
      dirs: { type: 'directory', title: 'D', description: 'd', multiple: true, default: ['/a'] },
      flag: { type: 'boolean', title: 'F', description: 'f' },
      key: { type: 'string', title: 'K', description: 'k', sensitive: true, required: true },
    } }) as unknown as McpbManifest;
    expect(mcpbConfigSchema(m)).toEqual({
      type: 'object', additionalProperties: false, required: ['n'],
      properties: {
        n: { title: 'N', description: 'n', type: 'number', minimum: 1, maximum: 5 },
        dirs: { title: 'D', description: 'd', type: 'array', items: { type: 'string' }, default: ['/a'] },
        flag: { title: 'F', description: 'f', type: 'boolean' },
      },
    });
    expect(mcpbConfigSchema(base() as unknown as McpbManifest)).toBeNull();
  });

  it('names secrets <PLUGIN>_<KEY> in upper case', () => {
    expect(mcpbSecretName('my-server', 'apiKey')).toBe('MY_SERVER_APIKEY');
  });
});
