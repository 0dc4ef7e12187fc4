import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/pm.js';
import { keys, runPmOnPty, type PtySession } from '../helpers/pty.js';

// The wizard as a person meets it: a real pseudo-terminal (util-linux `script`), prompts
// read off the screen, answers typed as keystrokes.
const tmp = await tempDir('pm-wizard-');
afterAll(() => tmp.cleanup());

const gitconfig = join(tmp.dir, 'gitconfig');
await writeFile(gitconfig, '[user]\n\tname = Ada Lovelace\n\temail = ada@example.org\n');
// Author defaults come from this file only, whatever the machine's git config says.
const env = { GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: '1', HOME: tmp.dir };

async function session(args: string[], cwd: string, steps: (s: PtySession) => Promise<void>): Promise<{ code: number; screen: string }> {
  const s = runPmOnPty(args, { cwd, env });
  // Runs even when the test times out waiting for a prompt, so no session outlives its test.
  onTestFinished(() => s.kill());
  await steps(s);
  return { code: await s.exited, screen: s.screen };
}

describe('pm plugin-create on a terminal', () => {
  it('asks every question in order, checks the name as it is typed, and creates what was answered', async () => {
    const cwd = join(tmp.dir, 'full');
    await mkdir(cwd);
    const { code, screen } = await session(['plugin-create'], cwd, async (s) => {
      await s.expect('Plugin name:');
      s.type('My');
      // Shown while typing, before Enter.
      await s.expect('the name has an uppercase letter "M"');
      s.type(keys.backspace.repeat(2) + '9x');
      await s.expect('the name must start with a lowercase letter (a-z)');
      s.type(keys.backspace.repeat(2) + 'hello-wizard' + keys.enter);
      await s.expect('Plugin type:');
      s.type(keys.down.repeat(4));
      await s.expect('❯ full');
      s.type(keys.enter);
      await s.expect('Description (one line): (A pm plugin: a tool, a resource, a prompt and a hook)');
      s.type('Says hello from the wizard' + keys.enter);
      await s.expect('Author: (Ada Lovelace <ada@example.org>)');
      s.type(keys.enter);
      await s.expect('License (SPDX): (MIT)');
      // Checked as it is typed: a wrong case, then an unknown id, then the real one.
      s.type(keys.backspace + 'apache-2.0');
      await s.expect('"apache-2.0" is written Apache-2.0 in SPDX');
      s.type(keys.enter); // refused while the id is wrong
      s.type(keys.backspace.repeat(10) + 'Apachee');
      await s.expect('"Apachee" is not an SPDX license id (did you mean Apache-1.1, Apache-2.0?); for another license write LicenseRef-<name>');
      s.type(keys.backspace.repeat(7) + 'Apache-2.0' + keys.enter);
      await s.expect('Language:');
      s.type(keys.down);
      await s.expect('❯ TypeScript');
      s.type(keys.enter);
      await s.expect('Add tests (run by pm plugin-test)? (Y/n)');
      s.type(keys.enter);
      await s.expect('Add a GitHub Actions workflow that runs pm plugin-test? (Y/n)');
      s.type('n' + keys.enter);
      await s.expect('Next steps:');
    });
    expect(code).toBe(0);
    expect(screen).toContain('Created full plugin hello-wizard (TypeScript)');
    expect(screen).toContain('cd hello-wizard');

    const dir = join(cwd, 'hello-wizard');
    const manifest = JSON.parse(await readFile(join(dir, 'plugin.json'), 'utf8'));
    expect(manifest).toMatchObject({
      name: 'hello-wizard',
      description: 'Says hello from the wizard',
      author: 'Ada Lovelace <ada@example.org>',
      license: 'Apache-2.0',
      main: 'dist/index.js',
    });
    expect(Object.keys(manifest.contributes).sort()).toEqual(['hooks', 'prompts', 'resources', 'tools']);
    expect(existsSync(join(dir, 'src/index.ts'))).toBe(true);
    expect(existsSync(join(dir, 'dist/index.js'))).toBe(true);
    expect(existsSync(join(dir, 'test/plugin.test.ts'))).toBe(true);
    expect(existsSync(join(dir, '.github'))).toBe(false);
  });

  it('refuses, as it is typed, a name whose folder is not empty, and asks only what flags left open', async () => {
    const cwd = join(tmp.dir, 'taken');
    await mkdir(join(cwd, 'notes'), { recursive: true });
    await writeFile(join(cwd, 'notes', 'keep.txt'), 'mine');
    const { code, screen } = await session(['plugin-create', '--type', 'tool', '--lang', 'js', '--no-ci', '--description', 'Notes'], cwd, async (s) => {
      await s.expect('Plugin name:');
      s.type('notes');
      await s.expect(`${join(cwd, 'notes')} is not empty; pick another name (or run again with --force)`);
      // Enter is refused while the name is not usable.
      s.type(keys.enter);
      s.type(keys.backspace.repeat(5) + 'notes2' + keys.enter);
      await s.expect('Author:');
      s.type(keys.enter);
      await s.expect('License (SPDX):');
      s.type(keys.enter);
      await s.expect('Add tests (run by pm plugin-test)?');
      s.type('n' + keys.enter);
      await s.expect('Next steps:');
    });
    expect(code).toBe(0);
    expect(screen).not.toContain('Plugin type:');
    expect(screen).not.toContain('Language:');
    expect(screen).not.toContain('Description');
    expect(await readdir(join(cwd, 'notes'))).toEqual(['keep.txt']);
    const files = (await readdir(join(cwd, 'notes2'))).sort();
    expect(files).toEqual(['.gitignore', 'README.md', 'index.js', 'package.json', 'plugin.json']);
    const manifest = JSON.parse(await readFile(join(cwd, 'notes2', 'plugin.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: 'notes2', description: 'Notes', license: 'MIT', author: 'Ada Lovelace <ada@example.org>' });
  });

  it('shows the description default of the chosen type and takes it on Enter', async () => {
    const cwd = join(tmp.dir, 'described');
    await mkdir(cwd);
    const { code } = await session(['plugin-create', 'described', '--type', 'prompt', '--lang', 'js', '--author', 'a', '--license', 'MIT', '--no-tests', '--no-ci'], cwd, async (s) => {
      await s.expect('Description (one line): (A pm plugin: chat prompt templates, no code)');
      s.type(keys.enter);
      await s.expect('Next steps:');
    });
    expect(code).toBe(0);
    expect(JSON.parse(await readFile(join(cwd, 'described', 'plugin.json'), 'utf8')).description).toBe('A pm plugin: chat prompt templates, no code');
  });

  it('writes nothing and exits 1 when the person presses Ctrl-C', async () => {
    const cwd = join(tmp.dir, 'cancel');
    await mkdir(cwd);
    const { code, screen } = await session(['plugin-create'], cwd, async (s) => {
      await s.expect('Plugin name:');
      s.type('half' + keys.enter);
      await s.expect('Plugin type:');
      s.type(keys.ctrlC);
      await s.expect('plugin-create cancelled; nothing was written');
    });
    expect(code).toBe(1);
    expect(screen).toContain('hint: run it again, or give the answers as flags');
    expect(await readdir(cwd)).toEqual([]);
  });

  it('asks nothing on a terminal under --yes', async () => {
    const cwd = join(tmp.dir, 'yes');
    await mkdir(cwd);
    const { code, screen } = await session(['plugin-create', 'quiet', '--yes'], cwd, async (s) => {
      await s.expect('Next steps:');
    });
    expect(code).toBe(0);
    expect(screen).not.toContain('?');
    expect(JSON.parse(await readFile(join(cwd, 'quiet', 'plugin.json'), 'utf8')).author).toBe('Ada Lovelace <ada@example.org>');
  });

  it('asks again for a name given on the command line that cannot be used, showing why at once', async () => {
    const cwd = join(tmp.dir, 'again');
    await mkdir(cwd);
    const { code } = await session(['plugin-create', 'Bad_Name', '--type', 'prompt', '--lang', 'js', '--description', 'd', '--author', 'a', '--license', 'MIT', '--no-tests', '--no-ci'], cwd, async (s) => {
      await s.expect('Plugin name: (Bad_Name)');
      await s.expect('the name has an uppercase letter "B"');
      s.type(keys.enter); // refused: the default is not usable either
      s.type(keys.backspace + 'good-name' + keys.enter);
      await s.expect('Next steps:');
    });
    expect(code).toBe(0);
    expect(await readdir(cwd)).toEqual(['good-name']);
  });

  it('does not ask under --json on a terminal: a missing --type is a usage error as JSON', async () => {
    const cwd = join(tmp.dir, 'json');
    await mkdir(cwd);
    const { code, screen } = await session(['plugin-create', 'x', '--json'], cwd, async (s) => {
      await s.expect('"code": "USAGE"');
    });
    expect(code).toBe(2);
    expect(screen).toContain('"message": "missing --type"');
    expect(screen).not.toContain('Plugin type:');
    expect(await readdir(cwd)).toEqual([]);
  });
});
