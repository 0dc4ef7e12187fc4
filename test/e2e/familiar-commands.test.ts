import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pm, tempDir } from '../helpers/pm.js';

const tmp = await tempDir();
afterAll(() => tmp.cleanup());

describe('commands users of npm, wp-cli and Claude Code type first', () => {
  it('pm help <command> shows that command\'s help, with the global flags', async () => {
    const r = await pm(['help', 'plugin-install']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Usage: pm plugin-install|install [options] <source>');
    expect(r.stdout).toMatch(/Global Options:[\s\S]*--home <dir>[\s\S]*--json/);
  });

  it('pm help <unknown> is a usage error (exit 2) naming close commands', async () => {
    const r = await pm(['help', 'doctr']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe("error: pm help: unknown command 'doctr'\nhint: 'pm help' lists every command");
    const near = await pm(['help', 'keys']);
    expect(near.stderr).toContain("did you mean 'pm help keys-generate' or 'pm help keys-list' or 'pm help keys-import' (or another of the");
  });

  it('pm -v prints the version like -V', async () => {
    const [v, V] = await Promise.all([pm(['-v']), pm(['-V'])]);
    expect(v.exitCode).toBe(0);
    expect(v.stdout).toBe(V.stdout);
  });

  it.each([
    ['install', 'plugin-install'], ['uninstall', 'plugin-uninstall'], ['ls', 'plugin-list'], ['list', 'plugin-list'],
    ['info', 'plugin-info'], ['update', 'plugin-update'], ['search', 'marketplace-search'],
  ])('%s is an alias of %s, and pm --help says so', async (alias, command) => {
    const r = await pm([alias, '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: pm ${command}\\|`));
    expect((await pm(['--help'])).stdout.replace(/\s+/g, ' ')).toContain(`${alias}`);
  });

  it('ls lists the store like plugin-list', async () => {
    const home = join(tmp.dir, 'empty-home');
    const [a, b] = await Promise.all([pm(['ls', '--json', '--home', home]), pm(['plugin-list', '--json', '--home', home])]);
    expect(a.exitCode).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it.each([
    [['plugin', 'list'], 'plugin list', 'plugin-list'],
    [['--home', '/x', 'marketplace', 'add', 'acme', 'https://a.example/'], 'marketplace add', 'marketplace-add'],
    [['keys', 'generate'], 'keys generate', 'keys-generate'],
  ])('the two-word form %j says "did you mean" with exit 2', async (args, words, command) => {
    const r = await pm(args);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(`error: unknown command '${words}'\nhint: did you mean 'pm ${command}'? pm's commands are one word joined by a dash`);
  });

  it('plugin-install of a bare name a configured registry lists points at marketplace-install (exit 2, nothing installed)', async () => {
    const home = join(tmp.dir, 'reg-home');
    await mkdir(join(home, 'cache', 'registries', 'acme'), { recursive: true });
    await writeFile(join(home, 'cache', 'registries', 'acme', 'index.json'), JSON.stringify({ plugins: { notes: {} } }));
    const r = await pm(['plugin-install', 'notes', '--home', home], { cwd: tmp.dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('error: notes is not a folder, .tgz or URL; it is a plugin in registry acme\nhint: install it from there: pm marketplace-install notes');
    expect(await readdir(home)).toEqual(['cache']);
    const other = await pm(['install', 'other', '--home', home], { cwd: tmp.dir });
    expect(other.stderr).toContain('error: other does not exist');
    expect(await readdir(home)).toEqual(['cache']);
  });

  it('pm completion bash prints a script that bash accepts', async () => {
    const r = await pm(['completion', 'bash']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('complete -o default -F _pm_completion pm');
    const { execa } = await import('execa');
    expect((await execa('bash', ['-n'], { input: r.stdout, reject: false })).exitCode).toBe(0);
  });
});
