import { afterAll, describe, expect, it } from 'vitest';
import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { pm, pmBin, tempDir } from '../helpers/pm.js';

const tmp = await tempDir();
afterAll(() => tmp.cleanup());
// No client config of the machine running the tests is read.
const isolated = { PM_CLIENT_CONFIGS: '' };
// The GUI PATH doctor assumes, emptied: this machine may have node in /usr/bin, a nvm user does not.
const noNodeGui = { PM_GUI_PATH: join(tmp.dir, 'empty-path') };

/** Starts a server the way a GUI client does: its own minimal PATH (here: an empty folder, so no node and no pm). */
async function initializeLikeAGuiClient(entry: { command: string; args: string[]; env?: Record<string, string> }): Promise<string> {
  const emptyPath = join(tmp.dir, 'empty-path');
  await mkdir(emptyPath, { recursive: true });
  const transport = new StdioClientTransport({ command: entry.command, args: entry.args, env: { ...entry.env, PATH: emptyPath }, stderr: 'pipe' });
  const client = new Client({ name: 'gui-client', version: '1.0.0' });
  try {
    await client.connect(transport);
    return client.getServerVersion()?.name ?? '';
  } finally {
    await client.close().catch(() => {});
  }
}

describe('pm doctor', () => {
  it('reports node, the permission model, the OS sandbox, PM_HOME and gpg as data under --json', async () => {
    const r = await pm(['doctor', '--json', '--home', join(tmp.dir, 'home')], { env: isolated });
    const report = JSON.parse(r.stdout);
    expect(report.checks.map((c: { name: string }) => c.name)).toEqual(['node', 'permission model', 'sandbox', 'PM_HOME', 'store', 'HTTP token', 'secrets', 'gpg']);
    expect(report.checks[1].detail).toMatch(/--(experimental-)?permission/);
    expect(r.exitCode).toBe(0);
  });

  it('says bubblewrap confines plugins where it runs, and names the fallback and how to get it when PM_SANDBOX=node turns it off', async () => {
    const home = join(tmp.dir, 'home');
    const on = JSON.parse((await pm(['doctor', '--json', '--home', home], { env: isolated })).stdout).checks.find((c: { name: string }) => c.name === 'sandbox');
    if (on.status === 'ok') expect(on.detail).toMatch(/^bubblewrap: every plugin process runs in its own namespaces/);
    else expect(on.detail).toMatch(/^no OS sandbox: /);
    const off = await pm(['doctor', '--home', home], { env: { ...isolated, PM_SANDBOX: 'node' } });
    expect(off.stdout).toContain("warn sandbox: no OS sandbox: PM_SANDBOX=node turns the OS sandbox off; module plugins run under Node's permission model only; server plugins start only with full trust");
    expect(off.stdout).toContain('hint: unset PM_SANDBOX to use bubblewrap');
  });

  it('fails with exit 1 and a hint when PM_HOME cannot be created', async () => {
    const file = join(tmp.dir, 'a-file');
    await writeFile(file, 'x');
    const r = await pm(['doctor', '--home', join(file, 'home')], { env: isolated });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(`fail PM_HOME: ${join(file, 'home')} cannot be created: ${file} is a file`);
    expect(r.stdout).toContain('hint: choose another folder');
  });
});

describe('pm doctor: the HTTP token', () => {
  it('says where pm serve --http keeps its token, and prints HTTP client entries that read it from there', async () => {
    const home = join(tmp.dir, 'token-home');
    const r = await pm(['doctor', '--home', home], { env: isolated });
    const path = join(home, 'serve-token');
    expect(r.stdout).toContain(`ok   HTTP token: ${path} not created yet: pm serve --mcp --http generates it on first start`);
    expect(r.stdout).toContain(`Over HTTP (pm serve --mcp --http 7420), clients send the token kept in ${path}:`);
    expect(r.stdout).toContain(`"Authorization": "Bearer <the token in ${path}>"`);
    expect(r.stdout).toContain(`claude mcp add --transport http --scope user pm http://127.0.0.1:7420/mcp --header "Authorization: Bearer $(cat ${path})"`);
  });

  it('fails, with exit 1 and a hint, on a token file other users can read, and leaves it alone', async () => {
    const home = join(tmp.dir, 'loose-home');
    await mkdir(home, { recursive: true });
    await writeFile(join(home, 'serve-token'), 'a-token-of-enough-length-0123456789\n', { mode: 0o644 });
    const r = await pm(['doctor', '--json', '--home', home], { env: isolated });
    expect(r.exitCode).toBe(1);
    const check = JSON.parse(r.stdout).checks.find((c: { name: string }) => c.name === 'HTTP token');
    expect(check).toMatchObject({ status: 'fail', detail: `refusing to use the HTTP token in ${join(home, 'serve-token')}: its mode 0644 lets other users read or change it` });
    expect(check.hint).toContain(`chmod 600 ${join(home, 'serve-token')}`);
    expect((await stat(join(home, 'serve-token'))).mode & 0o777).toBe(0o644);
  });
});

describe('pm doctor: secrets', () => {
  it('counts the stored secrets without showing them, and fails with exit 1 on a secrets.json others can read', async () => {
    const home = join(tmp.dir, 'secrets-home');
    expect((await pm(['secret-set', 'A_TOKEN', '--home', home], { input: 'doctor-secret-value' })).exitCode).toBe(0);
    const ok = await pm(['doctor', '--home', home], { env: isolated });
    expect(ok.stdout).toContain(`ok   secrets: 1 secret in ${join(home, 'secrets.json')} (mode 0600)`);
    await chmod(join(home, 'secrets.json'), 0o604);
    const r = await pm(['doctor', '--json', '--home', home], { env: isolated });
    expect(r.exitCode).toBe(1);
    const check = JSON.parse(r.stdout).checks.find((c: { name: string }) => c.name === 'secrets');
    expect(check).toMatchObject({ status: 'fail', detail: expect.stringContaining('its mode 0604 lets other users read or change it') });
    expect(check.hint).toContain(`chmod 600 ${join(home, 'secrets.json')}`);
    expect(ok.stdout + r.stdout).not.toContain('doctor-secret-value');
  });
});

describe('pm doctor: the AI client entry', () => {
  it('prints an entry a GUI client with no node and no pm on its PATH can start (MCP initialize succeeds)', async () => {
    const home = join(tmp.dir, 'client-home');
    const r = await pm(['doctor', '--json', '--home', home], { env: isolated });
    const { entry, snippets } = JSON.parse(r.stdout).client;
    expect(entry).toEqual({ command: process.execPath, args: [pmBin, 'serve', '--mcp'], env: { PM_HOME: home } });
    expect(JSON.parse(snippets.mcpServersJson).mcpServers.pm).toEqual(entry);
    expect(await initializeLikeAGuiClient(entry)).toBe('pm');
  });

  it('prints the pasteable Claude Desktop/Cursor JSON and the Claude Code command in human output', async () => {
    const home = join(tmp.dir, 'client-home');
    const r = await pm(['doctor', '--home', home], { env: isolated });
    expect(r.stdout).toContain('Claude Desktop (claude_desktop_config.json) and Cursor (~/.cursor/mcp.json):');
    expect(r.stdout).toContain(`"command": ${JSON.stringify(process.execPath)}`);
    expect(r.stdout).toContain(`claude mcp add-json --scope user pm '{"type":"stdio","command":${JSON.stringify(process.execPath)}`);
  });

  it('the README form "command": "pm" is what fails in a GUI client (spawn pm ENOENT), and doctor says so with exit 1', async () => {
    await expect(initializeLikeAGuiClient({ command: 'pm', args: ['serve', '--mcp'] })).rejects.toThrow(/ENOENT/);
    const config = join(tmp.dir, 'Claude', 'claude_desktop_config.json');
    await mkdir(join(tmp.dir, 'Claude'), { recursive: true });
    await writeFile(config, JSON.stringify({ mcpServers: { pm: { command: 'pm', args: ['serve', '--mcp'], env: { PM_HOME: '/h' } } } }));
    const r = await pm(['doctor', '--home', join(tmp.dir, 'client-home'), '--client-config', config], { env: { ...isolated, ...noNodeGui } });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(`fail claude-desktop config: ${config} (mcpServers.pm): "command": "pm" is not on a GUI client's PATH (${noNodeGui.PM_GUI_PATH})`);
    expect(r.stdout).toContain('hint: replace the entry with the one `pm doctor` prints');
  });

  it('an absolute bin/pm.js as command fails without node on the PATH (#!/usr/bin/env node), and doctor finds it via PM_CLIENT_CONFIGS', async () => {
    await expect(initializeLikeAGuiClient({ command: pmBin, args: ['serve', '--mcp'] })).rejects.toThrow();
    const dir = join(tmp.dir, 'proj', '.cursor');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'mcp.json'), JSON.stringify({ mcpServers: { tools: { command: pmBin, args: ['serve', '--mcp'], env: { PM_HOME: '/h' } } } }));
    const r = await pm(['doctor', '--json', '--home', join(tmp.dir, 'client-home')], { env: { PM_CLIENT_CONFIGS: join(dir, 'mcp.json'), ...noNodeGui } });
    const check = JSON.parse(r.stdout).checks.find((c: { name: string }) => c.name === 'cursor config');
    expect(check.status).toBe('fail');
    expect(check.detail).toContain(`starts with "#!/usr/bin/env node" and node is not on a GUI client's PATH (${noNodeGui.PM_GUI_PATH})`);
    expect(r.exitCode).toBe(1);
  });
});
