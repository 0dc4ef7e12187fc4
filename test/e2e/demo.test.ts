import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/pm.js';

describe('npm run demo', () => {
  it('checks the machine, creates a plugin and validates it in a temporary folder, then removes the folder', async () => {
    const r = await execa(process.execPath, [join(repoRoot, 'scripts', 'demo.mjs')], { cwd: repoRoot, env: { NO_COLOR: '1' }, reject: false });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('1/3 Check this machine');
    expect(r.stdout).toContain('$ pm plugin-create hello --type tool --yes');
    expect(r.stdout).toContain('Created tool plugin hello (JavaScript)');
    expect(r.stdout).toContain('$ pm plugin-validate hello');
    expect(r.stdout).toContain('✔ hello@0.1.0 is valid');
    expect(r.stdout).toContain('What to try next');
    const work = /\(in (\S+), PM_HOME=/.exec(r.stdout)?.[1];
    expect(work).toBeDefined();
    expect(existsSync(work!)).toBe(false);
  });
});
