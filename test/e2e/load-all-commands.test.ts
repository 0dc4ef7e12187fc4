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

describe('a closed stdout', () => {
  it('ends pm quietly with exit 0, like other Unix tools (no EPIPE stack trace)', async () => {
    const { execa } = await import('execa');
    const { pmBin } = await import('../helpers/pm.js');
    const r = await execa('bash', ['-c', `node ${JSON.stringify(pmBin)} --help | head -1; exit \${PIPESTATUS[0]}`], { reject: false, env: { NO_COLOR: '1' } });
    expect(r.stdout).toBe('Usage: pm [options] [command]');
    expect(r.stderr).not.toMatch(/EPIPE|at /);
    expect(r.exitCode).toBe(0);
  });
});
