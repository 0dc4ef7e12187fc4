import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { parse as parseToml } from 'smol-toml';
import { setupClient } from '../../../../src/core/client-config/setup.js';
import { SETUP_CLIENTS, clientFormat, type SetupClient } from '../../../../src/core/client-config/clients.js';
import { repoRoot, tempDir } from '../../../helpers/pm.js';

const FIXTURES: Record<SetupClient, string> = {
  'claude-desktop': 'claude_desktop_config.json',
  'claude-code': 'claude.json',
  cursor: 'mcp.json',
  vscode: 'mcp.json',
  windsurf: 'mcp_config.json',
  codex: 'config.toml',
};
const fixture = (c: SetupClient) => join(repoRoot, 'test', 'fixtures', 'client-configs', c, FIXTURES[c]);
const read = (c: SetupClient, text: string) => (c === 'codex' ? parseToml(text) : parseJsonc(text)) as Record<string, Record<string, unknown>>;
const fixed = { nodePath: '/opt/node/bin/node', pmScript: '/opt/pm/bin/pm.js' };

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir('pm-client-setup-')));
afterEach(async () => cleanup());

async function copyFixture(c: SetupClient): Promise<string> {
  const file = join(dir, FIXTURES[c]);
  await copyFile(fixture(c), file);
  return file;
}

describe.each(SETUP_CLIENTS)('setupClient %s', (client) => {
  const table = clientFormat(client).table;

  it('writes an entry with the absolute node and pm bin, keeping the other servers and keys, after a backup', async () => {
    const file = await copyFixture(client);
    const before = await readFile(file, 'utf8');
    const r = await setupClient(client, { home: '/srv/pm-home', config: file, profile: 'coding', ...fixed });
    expect(r.written).toBe(true);
    const after = read(client, await readFile(file, 'utf8'));
    const entry = after[table]!.pm as { command: string; args: string[]; type?: string };
    expect(entry.command).toBe('/opt/node/bin/node');
    expect(entry.args).toEqual(['/opt/pm/bin/pm.js', 'serve', '--mcp', '--home', '/srv/pm-home', '--profile', 'coding']);
    expect(entry.type).toBe(client === 'claude-code' || client === 'vscode' ? 'stdio' : undefined);
    const { pm: _new, ...others } = after[table]!;
    const { pm: _old, ...othersBefore } = read(client, before)[table]!;
    expect(others).toEqual(othersBefore);
    const { [table]: _a, ...rest } = after;
    const { [table]: _b, ...restBefore } = read(client, before);
    expect(rest).toEqual(restBefore);
    expect(r.backup).toMatch(/\.pm-backup-\d{8}T\d{9}Z$/);
    expect(await readFile(r.backup!, 'utf8')).toBe(before);
  });

  it('changes nothing and takes no backup on a second run', async () => {
    const file = await copyFixture(client);
    await setupClient(client, { home: '/srv/pm-home', config: file, ...fixed });
    const once = await readFile(file, 'utf8');
    const backups = (await readdir(dir)).length;
    const r = await setupClient(client, { home: '/srv/pm-home', config: file, ...fixed });
    expect(r).toMatchObject({ action: 'unchanged', written: false });
    expect(r.backup).toBeUndefined();
    expect(await readFile(file, 'utf8')).toBe(once);
    expect((await readdir(dir)).length).toBe(backups);
  });

  it('with print shows the new text and writes nothing', async () => {
    const file = await copyFixture(client);
    const before = await readFile(file, 'utf8');
    const r = await setupClient(client, { home: '/srv/pm-home', config: file, print: true, ...fixed });
    expect(r.written).toBe(false);
    expect(read(client, r.text)[table]!.pm).toBeDefined();
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(await readdir(dir)).toEqual([FIXTURES[client]]);
  });

  it('with remove takes out only pm’s entry', async () => {
    const file = await copyFixture(client);
    const before = read(client, await readFile(file, 'utf8'));
    await setupClient(client, { home: '/srv/pm-home', config: file, ...fixed });
    const r = await setupClient(client, { home: '/srv/pm-home', config: file, remove: true, ...fixed });
    expect(r.action).toBe('removed');
    const after = read(client, await readFile(file, 'utf8'));
    const { pm: _old, ...othersBefore } = before[table]!;
    expect(after[table]).toEqual(othersBefore);
    const again = await setupClient(client, { home: '/srv/pm-home', config: file, remove: true, ...fixed });
    expect(again).toMatchObject({ action: 'absent', written: false });
  });

  it('refuses a corrupt config file and leaves it as it was', async () => {
    const file = join(dir, FIXTURES[client]);
    const broken = (await readFile(fixture(client), 'utf8')).slice(0, 60) + (client === 'codex' ? '\n[[[' : '');
    await writeFile(file, broken);
    await expect(setupClient(client, { home: '/srv/pm-home', config: file, ...fixed })).rejects.toMatchObject({ code: 'CLIENT_CONFIG_INVALID', message: expect.stringContaining('left untouched') });
    expect(await readFile(file, 'utf8')).toBe(broken);
    expect(await readdir(dir)).toEqual([FIXTURES[client]]);
  });
});

describe('setupClient', () => {
  it('creates a missing config file (and its folder) holding only pm', async () => {
    const file = join(dir, 'new', 'mcp.json');
    const r = await setupClient('cursor', { home: '/srv/pm-home', config: file, ...fixed });
    expect(r).toMatchObject({ action: 'added', written: true });
    expect(r.backup).toBeUndefined();
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ mcpServers: { pm: { command: '/opt/node/bin/node', args: ['/opt/pm/bin/pm.js', 'serve', '--mcp', '--home', '/srv/pm-home'] } } });
  });

  it('leaves out --home when PM_HOME is ~/.pm', async () => {
    const file = join(dir, 'mcp.json');
    const { resolveHome } = await import('../../../../src/core/home.js');
    const r = await setupClient('cursor', { home: resolveHome(undefined, {}), config: file, print: true, ...fixed });
    expect(r.entry).toEqual({ command: '/opt/node/bin/node', args: ['/opt/pm/bin/pm.js', 'serve', '--mcp'] });
  });

  it('refuses to replace a server of that name that is not pm', async () => {
    const file = await copyFixture('cursor');
    const before = await readFile(file, 'utf8');
    await expect(setupClient('cursor', { home: '/h', config: file, name: 'weather_server', ...fixed })).rejects.toMatchObject({ code: 'CLIENT_ENTRY_TAKEN' });
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('refuses a Codex entry it cannot edit as its own section (inline table) and leaves the file as it was', async () => {
    const file = join(dir, 'config.toml');
    const text = 'mcp_servers = { pm = { command = "pm", args = ["serve", "--mcp"] } }\n';
    await writeFile(file, text);
    await expect(setupClient('codex', { home: '/h', config: file, ...fixed })).rejects.toMatchObject({ code: 'CLIENT_CONFIG_UNEDITABLE' });
    expect(await readFile(file, 'utf8')).toBe(text);
  });

  it('keeps the comments of a Codex config when adding and removing', async () => {
    const file = await copyFixture('codex');
    const before = await readFile(file, 'utf8');
    await setupClient('codex', { home: '/h', config: file, ...fixed });
    expect(await readFile(file, 'utf8')).toContain('# kept by pm');
    await setupClient('codex', { home: '/h', config: file, remove: true, ...fixed });
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('refuses an unknown client', async () => {
    await expect(setupClient('notepad', { home: '/h', config: join(dir, 'x.json') })).rejects.toMatchObject({ code: 'CLIENT_UNKNOWN' });
  });
});

describe('setupClient file handling', () => {
  it('writes through a symbolic link to its target and keeps the file’s mode in the file and its backup', async () => {
    const { chmod, lstat, stat, symlink } = await import('node:fs/promises');
    const target = await copyFixture('cursor');
    await chmod(target, 0o600);
    const link = join(dir, 'linked.json');
    await symlink(target, link);
    const r = await setupClient('cursor', { home: '/h', config: link, ...fixed });
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await readFile(target, 'utf8')).mcpServers.pm.command).toBe('/opt/node/bin/node');
    expect((await stat(target)).mode & 0o777).toBe(0o600);
    expect((await stat(r.backup!)).mode & 0o777).toBe(0o600);
  });
});
