import { afterAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pm, tempDir } from '../helpers/pm.js';

const tmp = await tempDir();
afterAll(() => tmp.cleanup());

describe('pm doctor', () => {
  it('reports node, the permission model, PM_HOME and gpg as data under --json', async () => {
    const r = await pm(['doctor', '--json', '--home', join(tmp.dir, 'home')]);
    const report = JSON.parse(r.stdout);
    expect(report.checks.map((c: { name: string }) => c.name)).toEqual(['node', 'permission model', 'PM_HOME', 'store', 'gpg']);
    expect(report.checks[1].detail).toMatch(/--(experimental-)?permission/);
    expect(r.exitCode).toBe(0);
  });

  it('fails with exit 1 and a hint when PM_HOME cannot be created', async () => {
    const file = join(tmp.dir, 'a-file');
    await writeFile(file, 'x');
    const r = await pm(['doctor', '--home', join(file, 'home')]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(`fail PM_HOME: ${join(file, 'home')} cannot be created: ${file} is a file`);
    expect(r.stdout).toContain('hint: choose another folder');
  });
});
