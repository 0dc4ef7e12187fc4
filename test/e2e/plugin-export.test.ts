import { afterAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pm, repoRoot, tempDir } from '../helpers/pm.js';
import { serverJsonValidator } from '../helpers/server-json-schema.js';

// plugin-export through the real bin: an author's one plugin folder yields a server.json for the MCP Registry.
const tmp = await tempDir('pm-e2e-export-');
afterAll(() => tmp.cleanup());
const fixture = (name: string) => join(repoRoot, 'test', 'fixtures', name);
const validate = serverJsonValidator();

describe('pm plugin-export --format server-json', () => {
  it('prints a valid server.json on stdout and what was not carried over on stderr', async () => {
    const r = await pm(['plugin-export', fixture('server-json-npm'), '--format', 'server-json'], { cwd: tmp.dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(validate(JSON.parse(r.stdout))).toEqual([]);
    expect(r.stderr).toContain('warning: server.env.WEATHER_HOME not carried over');
    expect(r.stdout).not.toContain('${secret.');
  });

  it('writes --out and says where', async () => {
    const r = await pm(['plugin-export', fixture('server-json-pypi'), '--format', 'server-json', '--out', 'server.json'], { cwd: tmp.dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe(`wrote io.github.py-dev/fetch@0.6.2 (pypi) → ${join(tmp.dir, 'server.json')}`);
    expect(validate(JSON.parse(await readFile(join(tmp.dir, 'server.json'), 'utf8')))).toEqual([]);
  });

  const refusals: [string, string[], number, string][] = [
    ['a module plugin without a package', [fixture('valid-full'), '--name', 'org.example/notes'], 2, 'error: notes is a module plugin: server.json needs a package a registry client can fetch and run (npm, PyPI or .mcpb)\nhint: publish it as an .mcpb'],
    ['a plugin with no name to derive', [fixture('valid-full')], 2, 'error: notes has no GitHub URL to derive its registry name from\nhint: give one with --name io.github.<owner>/notes'],
    ['an unknown format', [fixture('valid-full'), '--format', 'mcpb-manifest'], 2, 'error: --format mcpb-manifest is not a format plugin-export writes'],
  ];
  it.each(refusals)('refuses %s with its exit code, writing nothing', async (_, args, code, message) => {
    const out = join(tmp.dir, 'refused.json');
    const r = await pm(['plugin-export', ...(args.includes('--format') ? args : [...args, '--format', 'server-json']), '--out', out], { cwd: tmp.dir });
    expect(r.exitCode, r.stderr).toBe(code);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
  });
});
