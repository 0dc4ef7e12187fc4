import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { pm } from '../helpers/pm.js';

// Like npm's load-all-commands: every registered command renders its help through the real bin.
const names = buildProgram().commands.map((c) => c.name());

describe('every command', () => {
  it('is registered', () => {
    expect(names.length).toBeGreaterThan(0);
    expect(names).toContain('doctor');
  });

  it.each(names)('%s --help renders and exits 0', async (name) => {
    const r = await pm([name, '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`Usage: pm ${name}`);
    expect(r.stderr).toBe('');
  });
});

describe('pm --help', () => {
  it('groups the commands and shows examples', async () => {
    const r = await pm(['--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/Other commands:/);
    expect(r.stdout).toMatch(/Examples:/);
  });

  it('rejects an unknown flag with exit 2 and a hint', async () => {
    const r = await pm(['--bogus']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("error: unknown option '--bogus'");
    expect(r.stderr).toContain('hint:');
  });

  it('suggests the closest command for a typo with exit 2', async () => {
    const r = await pm(['docter']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("unknown command 'docter'");
    expect(r.stderr).toContain('doctor');
  });
});
