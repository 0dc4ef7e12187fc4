import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { buildProgram } from '../../../src/cli/program.js';
import { completionScript } from '../../../src/cli/completion.js';

const program = buildProgram();

/** Runs the bash script the way bash's completion does: COMP_WORDS/COMP_CWORD set, the function called. */
async function complete(line: string[]): Promise<string[]> {
  const words = line.map((w) => `'${w}'`).join(' ');
  const script = `${completionScript('bash', program)}\nCOMP_WORDS=(${words}); COMP_CWORD=${line.length - 1}; _pm_completion; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = await execa('bash', ['-c', script]);
  return r.stdout.split('\n').filter(Boolean);
}

describe('pm completion', () => {
  it('bash completes command names and aliases', async () => {
    expect(await complete(['pm', 'plugin-l'])).toEqual(['plugin-list', 'plugin-link']);
    expect(await complete(['pm', 'uni'])).toEqual(['uninstall']);
  });

  it('bash completes the flags of the command on the line (an alias too), and the global ones', async () => {
    expect(await complete(['pm', 'install', '--allow-'])).toEqual(['--allow-unsigned', '--allow-downgrade', '--allow-sdist', '--allow-read', '--allow-write', '--allow-net']);
    expect(await complete(['pm', '--home', '/h', 'plugin-list', '--js'])).toEqual(['--json']);
  });

  it('zsh loads the bash function through bashcompinit; fish lists commands with their descriptions', () => {
    expect(completionScript('zsh', program)).toContain('bashcompinit');
    expect(completionScript('fish', program)).toContain("complete -c pm -n __fish_use_subcommand -a plugin-list -d 'list installed plugins");
  });

  it('refuses another shell with a usage error naming the three', () => {
    expect(() => completionScript('tcsh', program)).toThrow(expect.objectContaining({ code: 'USAGE', exitCode: 2, hint: 'use one of: bash, zsh, fish' }));
  });
});
