import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pm, repoRoot } from '../helpers/pm.js';

const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };

// pm --version is answered in main.ts before commander loads; these pin down that the shortcut
// says the same as before and never takes a command's own flag.
describe('pm --version', () => {
  it('prints the package version and nothing else, exit 0', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await pm([flag]);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toBe(version);
      expect(r.stderr).toBe('');
    }
  });

  it('accepts global flags around it', async () => {
    const r = await pm(['--home', join(repoRoot, 'no-such-home'), '--json', '--version']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(version);
  });

  it('is not taken from a command that has no --version: commander refuses it with exit 2', async () => {
    const r = await pm(['plugin-list', '--version']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("unknown option '--version'");
  });

  it('lists -V, --version in pm --help', async () => {
    const r = await pm(['--help']);
    expect(r.stdout).toMatch(/-V, --version\s+print the pm version/);
  });
});
