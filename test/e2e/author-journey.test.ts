import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pm, pmBin, tempDir } from '../helpers/pm.js';

// The "done when", as a new plugin author would go: create a TypeScript plugin,
// add a tool and its test, pm plugin-test, package, sign, install the signed package,
// and call the tool from a real MCP client through pm serve --mcp.
describe('a plugin author from plugin-create to an MCP client', () => {
  let t: { dir: string; cleanup: () => Promise<void> };
  let home: string;
  let plugin: string;
  const env = () => ({ PM_HOME: home });
  beforeAll(async () => {
    t = await tempDir('pm-author-');
    home = join(t.dir, 'home');
    plugin = join(t.dir, 'shouter');
  });
  afterAll(() => t.cleanup());

  it('creates a TypeScript tool plugin', async () => {
    const r = await pm(['plugin-create', 'shouter', '--type', 'tool', '--lang', 'ts', '--yes', '--description', 'Shouts'], { cwd: t.dir, env: env() });
    expect(r.exitCode, r.stderr).toBe(0);
  });

  it('adds a tool with its test, and pm plugin-test passes', async () => {
    const manifest = JSON.parse(await readFile(join(plugin, 'plugin.json'), 'utf8'));
    manifest.contributes.tools.push({
      name: 'shout', description: 'Upper-case a text',
      inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'], additionalProperties: false },
    });
    await writeFile(join(plugin, 'plugin.json'), JSON.stringify(manifest, null, 2));
    const src = await readFile(join(plugin, 'src', 'index.ts'), 'utf8');
    await writeFile(join(plugin, 'src', 'index.ts'), src
      .replace('export default {', 'function shout(args: { text: string }): string {\n  return args.text.toUpperCase() + \'!\';\n}\n\nexport default {')
      .replace('tools: { greet },', 'tools: { greet, shout },'));
    await writeFile(join(plugin, 'test', 'shout.test.ts'), [
      "import { after, test } from 'node:test';",
      "import { fileURLToPath } from 'node:url';",
      "import { assertToolResult, createTestHost, type TestHost } from 'pmkit/testing';",
      "const host: TestHost = await createTestHost({ plugin: fileURLToPath(new URL('..', import.meta.url)) });",
      'after(() => host.close());',
      "test('shout upper-cases', async () => { assertToolResult(await host.callTool('shouter.shout', { text: 'hey' }), { text: 'HEY!' }); });",
      "test('shout needs a text', async () => { assertToolResult(await host.callTool('shouter.shout', {}), { isError: true, contains: \"'text' is required\" }); });",
      '',
    ].join('\n'));
    const r = await pm(['plugin-test', plugin, '--json'], { env: env(), timeout: 120_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).counts).toMatchObject({ tests: 4, pass: 4, fail: 0 });
  });

  it('packages, signs and installs the signed package', async () => {
    for (const args of [
      ['keys-generate', '--name', 'Author', '--email', 'author@example.org'],
      ['plugin-package', plugin, '--out', t.dir],
      ['plugin-sign', join(t.dir, 'shouter-0.1.0.tgz')],
      ['plugin-install', join(t.dir, 'shouter-0.1.0.tgz')],
    ]) {
      const r = await pm(args, { env: env(), cwd: t.dir });
      expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
  });

  it('calls the new tool from a real MCP client through pm serve --mcp', async () => {
    const client = new Client({ name: 'author-test', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [pmBin, 'serve', '--mcp'], env: { PM_HOME: home }, stderr: 'pipe' }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((x) => x.name).sort()).toEqual(['shouter__greet', 'shouter__shout']);
      const r = await client.callTool({ name: 'shouter__shout', arguments: { text: 'signed and served' } });
      expect(r.content).toEqual([{ type: 'text', text: 'SIGNED AND SERVED!' }]);
    } finally {
      await client.close();
    }
  });
});
