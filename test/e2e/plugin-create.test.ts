import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pm, pmBin, tempDir } from '../helpers/pm.js';

const tmp = await tempDir('pm-create-');
afterAll(() => tmp.cleanup());

const gitconfig = join(tmp.dir, 'gitconfig');
await writeFile(gitconfig, '[user]\n\tname = Grace Hopper\n\temail = grace@example.org\n');
const env = { GIT_CONFIG_GLOBAL: gitconfig, GIT_CONFIG_NOSYSTEM: '1' };

let n = 0;
/** A fresh, empty parent folder for one test. */
async function parentDir(): Promise<string> {
  const dir = join(tmp.dir, `p${++n}`);
  await mkdir(dir);
  return dir;
}

// The template matrix (create → validate → test for every type and language) is in plugin-templates.test.ts.
describe('pm plugin-create without a terminal', () => {
  it('prints the files it created and the next steps', async () => {
    const parent = await parentDir();
    const r = await pm(['plugin-create', 'notes', '--yes'], { cwd: parent, env });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`Created tool plugin notes (JavaScript) in ${join(parent, 'notes')}`);
    expect(r.stdout).toMatch(/^ {2}plugin\.json$/m);
    expect(r.stdout).toMatch(/^ {2}index\.js$/m);
    expect(r.stdout).toContain('Next steps:\n  cd notes\n  pm plugin-validate');
    expect(r.stdout).toContain('pm plugin-test');
    expect(r.stdout).toContain('pm plugin-package      write notes-0.1.0.tgz');
  });

  it('leaves out tests and the CI workflow under --no-tests --no-ci', async () => {
    const parent = await parentDir();
    const r = await pm(['plugin-create', 'bare', '--type', 'hook', '--no-tests', '--no-ci', '--dir', parent, '--json'], { env });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).files).toEqual(['.gitignore', 'README.md', 'index.js', 'package.json', 'plugin.json']);
    expect(await readFile(join(parent, 'bare', 'README.md'), 'utf8')).not.toContain('pm plugin-test');
  });

  it('writes the description, author and license given as flags verbatim, quotes and braces included', async () => {
    const parent = await parentDir();
    const description = 'Says "hi" \\ back {{name}} <b>';
    const r = await pm(['plugin-create', 'quoted', '--type', 'tool', '--description', description, '--author', 'Ada <ada@example.org>', '--license', 'Apache-2.0', '--dir', parent], { env });
    expect(r.exitCode).toBe(0);
    for (const file of ['plugin.json', 'package.json']) {
      const json = JSON.parse(await readFile(join(parent, 'quoted', file), 'utf8'));
      expect(json).toMatchObject({ description, author: 'Ada <ada@example.org>', license: 'Apache-2.0' });
    }
    expect(await readFile(join(parent, 'quoted', 'README.md'), 'utf8')).toContain(description);
  });

  it('creates the --dir parent when it does not exist yet', async () => {
    const parent = join(await parentDir(), 'a', 'b');
    const r = await pm(['plugin-create', 'deep', '--yes', '--dir', parent], { env });
    expect(r.exitCode).toBe(0);
    expect(await readdir(join(parent, 'deep'))).toContain('plugin.json');
  });

  it('uses an existing empty folder of the same name', async () => {
    const parent = await parentDir();
    await mkdir(join(parent, 'empty'));
    const r = await pm(['plugin-create', 'empty', '--yes', '--dir', parent], { env });
    expect(r.exitCode).toBe(0);
    expect(await readdir(join(parent, 'empty'))).toContain('plugin.json');
  });

  it('writes into a non-empty folder under --force, replacing its own files and keeping the others', async () => {
    const parent = await parentDir();
    await mkdir(join(parent, 'busy'));
    await writeFile(join(parent, 'busy', 'notes.txt'), 'keep me');
    await writeFile(join(parent, 'busy', 'plugin.json'), '{ "old": true }');
    const r = await pm(['plugin-create', 'busy', '--yes', '--force', '--dir', parent], { env });
    expect(r.exitCode).toBe(0);
    expect(await readFile(join(parent, 'busy', 'notes.txt'), 'utf8')).toBe('keep me');
    expect(JSON.parse(await readFile(join(parent, 'busy', 'plugin.json'), 'utf8')).name).toBe('busy');
    expect(await readdir(parent)).toEqual(['busy']);
  });
});

describe('pm plugin-create refusals', () => {
  it.each([
    ['Notes', 'has an uppercase letter "N"'],
    ['9lives', 'must start with a lowercase letter (a-z)'],
    ['my_notes', 'has "_", which is not allowed'],
    ['my notes', 'has " ", which is not allowed'],
    ['a'.repeat(51), 'is 51 characters long; the limit is 50'],
    ['../escape', 'must start with a lowercase letter (a-z)'],
  ])('refuses the name %j with exit 2 and writes nothing', async (name, why) => {
    const parent = await parentDir();
    const r = await pm(['plugin-create', name, '--yes', '--dir', parent], { env });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`error: invalid plugin name "${name}": ${why}`);
    expect(r.stderr).toContain('hint: use 1-50 lowercase letters, digits and -, starting with a letter');
    expect(r.stdout).toBe('');
    expect(await readdir(parent)).toEqual([]);
  });

  it('refuses a non-empty folder with exit 1, leaving it exactly as it was', async () => {
    const parent = await parentDir();
    await mkdir(join(parent, 'taken'));
    await writeFile(join(parent, 'taken', 'mine.txt'), 'precious');
    const r = await pm(['plugin-create', 'taken', '--yes', '--dir', parent], { env });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`error: ${join(parent, 'taken')} already exists and is not empty; nothing was written`);
    expect(r.stderr).toContain('hint: choose another plugin name or --dir, or pass --force');
    expect(await readdir(join(parent, 'taken'))).toEqual(['mine.txt']);
    expect(await readFile(join(parent, 'taken', 'mine.txt'), 'utf8')).toBe('precious');
    expect(await readdir(parent)).toEqual(['taken']);
  });

  it('refuses a target that is a file with exit 1', async () => {
    const parent = await parentDir();
    await writeFile(join(parent, 'afile'), 'x');
    const r = await pm(['plugin-create', 'afile', '--yes', '--dir', parent], { env });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`error: ${join(parent, 'afile')} exists and is not a folder`);
    expect(await readdir(parent)).toEqual(['afile']);
  });

  it('without a terminal, a missing name is a usage error (exit 2) and it never waits for input', async () => {
    const parent = await parentDir();
    // stdin stays open and silent: a prompt would hang here until the test times out.
    const r = await execa(process.execPath, [pmBin, 'plugin-create', '--type', 'tool', '--dir', parent], { env: { NO_COLOR: '1', ...env }, stdin: 'pipe', reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: missing the plugin name');
    expect(r.stderr).toContain('hint: pass it as the first argument: pm plugin-create <name>');
    expect(await readdir(parent)).toEqual([]);
  });

  it('without a terminal, a missing --type is a usage error (exit 2) naming the flag, unless --yes', async () => {
    const parent = await parentDir();
    const r = await execa(process.execPath, [pmBin, 'plugin-create', 'notype', '--dir', parent], { env: { NO_COLOR: '1', ...env }, stdin: 'pipe', reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('error: missing --type');
    expect(r.stderr).toContain('hint: pass --type tool|prompt|hook|resource|full, or --yes to take the default (tool)');
    expect(await readdir(parent)).toEqual([]);
  });

  it('refuses an unknown --type or --lang with exit 2 and the allowed values', async () => {
    const parent = await parentDir();
    const t = await pm(['plugin-create', 'x', '--type', 'widget', '--dir', parent], { env });
    expect(t.exitCode).toBe(2);
    expect(t.stderr).toContain("argument 'widget' is invalid. Allowed choices are tool, prompt, hook, resource, full.");
    const l = await pm(['plugin-create', 'x', '--type', 'tool', '--lang', 'py', '--dir', parent], { env });
    expect(l.exitCode).toBe(2);
    expect(l.stderr).toContain("argument 'py' is invalid. Allowed choices are js, ts.");
    expect(await readdir(parent)).toEqual([]);
  });

  it('reports a refusal as JSON under --json', async () => {
    const parent = await parentDir();
    const r = await pm(['plugin-create', 'Bad', '--yes', '--json', '--dir', parent], { env });
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'USAGE', message: 'invalid plugin name "Bad": has an uppercase letter "B"; use lowercase letters, digits and -' });
  });
});

describe('pm plugin-create --pm-spec', () => {
  const workflowRun = async (dir: string) => (await readFile(join(dir, '.github', 'workflows', 'plugin-test.yml'), 'utf8')).split('\n').filter((l) => /run: /.test(l)).map((l) => l.trim());
  const devDependency = async (dir: string) => JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')).devDependencies;

  it('by default, package.json and the CI workflow get pmkit at the running major from npm', async () => {
    const parent = await parentDir();
    const r = await pm(['plugin-create', 'plain', '--yes', '--dir', parent], { env });
    expect(r.exitCode).toBe(0);
    const major = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')).version.split('.')[0];
    expect(await devDependency(join(parent, 'plain'))).toEqual({ pmkit: `^${major}.0.0` });
    expect(await workflowRun(join(parent, 'plain'))).toEqual([`run: npm install --global 'pmkit@^${major}.0.0'`, 'run: pm plugin-test']);
  });

  it.each([
    ['../pmkit-1.0.0.tgz', '../pmkit-1.0.0.tgz'],
    ['file:../pmkit-1.0.0.tgz', 'file:../pmkit-1.0.0.tgz'],
    ['git+https://example.org/team/pmkit.git#v1.0.0', 'git+https://example.org/team/pmkit.git#v1.0.0'],
    ['pmkit@1.2.3', '1.2.3'],
    ['@team/pmkit@^1.0.0', 'npm:@team/pmkit@^1.0.0'],
  ])('writes --pm-spec %s into the CI workflow and package.json (devDependency %s)', async (spec, dependency) => {
    const parent = await parentDir();
    const r = await pm(['plugin-create', 'spec', '--yes', '--dir', parent, '--pm-spec', spec], { env });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(await devDependency(join(parent, 'spec'))).toEqual({ pmkit: dependency });
    expect(await workflowRun(join(parent, 'spec'))).toEqual([`run: npm install --global '${spec}'`, 'run: pm plugin-test']);
  });

  it.each([
    ['empty', '', 'is empty'],
    ['a newline', 'pmkit@1\nrun: evil', 'has a blank, a quote'],
    ['a quote', "../pm'kit.tgz", 'has a blank, a quote'],
    ['a GitHub Actions expression', 'pmkit@${{secrets.X}}', 'has a blank, a quote'],
    ['a leading dash', '--registry=x', 'starts with "-"'],
  ])('refuses a --pm-spec with %s as a usage error (exit 2) with a hint, writing nothing', async (_what, spec, problem) => {
    const parent = await parentDir();
    const r = await pm(['plugin-create', 'bad', '--yes', '--dir', parent, '--pm-spec', spec], { env });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`error: --pm-spec ${JSON.stringify(spec)} ${problem}`);
    expect(r.stderr).toContain('hint: give npm a spec for pmkit without blanks or quotes, e.g. pmkit@^');
    expect(r.stdout).toBe('');
    expect(await readdir(parent)).toEqual([]);
  });
});
