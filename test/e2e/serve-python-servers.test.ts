// Python MCP servers served through one `pm serve --mcp`, driven by the SDK's Client: a server
// whose code ships in its folder, and one installed from a wheel by pypi: into a venv.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fixturesDir } from '../helpers/host-plugins.js';
import { pm, repoRoot, tempDir } from '../helpers/pm.js';
import { announceSkip, venvMissing } from '../helpers/python.js';
import { connectStdio, type StdioSession } from '../helpers/serve.js';
import { pythonNotesCopy } from '../helpers/server-fixtures.js';

announceSkip('serving Python servers (a folder plugin and a pypi: install)', venvMissing);
const text = (r: unknown) => (r as { content: { text: string }[] }).content.map((c) => c.text).join('');

describe.skipIf(venvMissing)(venvMissing ? `Python servers through pm serve — SKIPPED: ${venvMissing}` : 'Python servers through pm serve --mcp', () => {
  let tmp: Awaited<ReturnType<typeof tempDir>>;
  let home: string;
  let s: StdioSession;

  beforeAll(async () => {
    tmp = await tempDir('pm-e2e-pyserve-');
    home = join(tmp.dir, 'home');
    const folder = await pythonNotesCopy(join(tmp.dir, 'python-notes'));
    const inst = await pm(['plugin-install', folder, '--home', home]);
    expect(inst.exitCode, inst.stderr).toBe(0);
    const links = join(tmp.dir, 'links');
    execFileSync('python3', [join(repoRoot, 'test', 'helpers', 'make-wheel.py'), join(fixturesDir, 'servers', 'pypi-notes'), links]);
    const pypi = await pm(['plugin-install', 'pypi:pm-notes-server', '--yes', '--home', home], { env: { PIP_NO_INDEX: '1', PIP_FIND_LINKS: links }, timeout: 120_000 });
    expect(pypi.exitCode, pypi.stderr).toBe(0);
    s = await connectStdio(home);
  }, 180_000);
  afterAll(async () => {
    await s?.close();
    await tmp?.cleanup();
  });

  it('lists the tools of both servers under their plugin names (the unpinned ones started once to pin them)', async () => {
    const { tools } = await s.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['pm-notes-server__add', 'pm-notes-server__echo_env', 'python-notes__add', 'python-notes__echo_env']);
    expect(tools.find((t) => t.name === 'pm-notes-server__add')?.inputSchema).toMatchObject({ required: ['a', 'b'] });
  });

  it('calls the folder server, whose env has ${pluginDir} substituted with its installed folder', async () => {
    expect(text(await s.client.callTool({ name: 'python-notes__add', arguments: { a: 2, b: 3 } }))).toBe('5');
    expect(text(await s.client.callTool({ name: 'python-notes__echo_env', arguments: { name: 'NOTES_GREETING' } }))).toBe(`hello from ${join(home, 'plugins', 'python-notes')}`);
  });

  it('calls the pypi: server from its venv inside PM_HOME, with PM_PLUGIN_DIR set', async () => {
    expect(text(await s.client.callTool({ name: 'pm-notes-server__add', arguments: { a: 40, b: 2 } }))).toBe('42');
    expect(text(await s.client.callTool({ name: 'pm-notes-server__echo_env', arguments: { name: 'PM_PLUGIN_DIR' } }))).toBe(join(home, 'plugins', 'pm-notes-server'));
  });

  it("reads a Python server's resource and renders its prompt", async () => {
    const { resources } = await s.client.listResources();
    // The pypi: server was started to pin its tools, so its resources are known (both servers use the same URI).
    expect(resources.map((r) => r.name)).toContain('pm-notes-server__readme');
    const read = await s.client.readResource({ uri: 'notes://readme' });
    expect(read.contents[0]).toMatchObject({ text: 'Notes served by Python.' });
    const prompt = await s.client.getPrompt({ name: 'pm-notes-server__summarize', arguments: { topic: 'venvs' } });
    expect(prompt.messages[0]).toMatchObject({ role: 'user', content: { type: 'text', text: 'Summarize venvs' } });
  });
});
