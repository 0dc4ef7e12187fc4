import type { Command } from 'commander';
import { usageError } from '../core/errors.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

interface Spec {
  names: string[];
  description: string;
  flags: string[];
}

function longFlags(cmd: Command): string[] {
  return cmd.options.map((o) => o.long).filter((f): f is string => Boolean(f));
}

function specs(program: Command): Spec[] {
  return program.commands.map((c) => ({ names: [c.name(), ...c.aliases()], description: c.description(), flags: longFlags(c) }));
}

function bash(program: Command): string {
  const all = specs(program);
  const globals = [...longFlags(program), '--help'].join(' ');
  const cases = all.map((s) => `    ${s.names.join('|')}) opts="${s.flags.join(' ')}" ;;`).join('\n');
  return `# pm completion for bash: add to ~/.bashrc:  source <(pm completion bash)
_pm_completion() {
  local cur=\${COMP_WORDS[COMP_CWORD]} cmd="" opts="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case \${COMP_WORDS[i]} in
      --home) ((i++)) ;;
      -*) ;;
      *) cmd=\${COMP_WORDS[i]}; break ;;
    esac
  done
  if [[ -z $cmd ]]; then
    COMPREPLY=($(compgen -W "${all.flatMap((s) => s.names).join(' ')} ${globals} --version" -- "$cur"))
    return
  fi
  case $cmd in
${cases}
  esac
  if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W "$opts ${globals}" -- "$cur")); fi
}
complete -o default -F _pm_completion pm
`;
}

function fish(program: Command): string {
  const q = (t: string) => `'${t.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const lines = ['# pm completion for fish: pm completion fish > ~/.config/fish/completions/pm.fish', 'complete -c pm -f'];
  for (const o of program.options) if (o.long) lines.push(`complete -c pm -l ${o.long.slice(2)} -d ${q(o.description)}`);
  for (const s of specs(program)) {
    for (const n of s.names) lines.push(`complete -c pm -n __fish_use_subcommand -a ${n} -d ${q(s.description)}`);
    const cmd = program.commands.find((c) => c.name() === s.names[0])!;
    for (const o of cmd.options) {
      if (o.long) lines.push(`complete -c pm -n ${q(`__fish_seen_subcommand_from ${s.names.join(' ')}`)} -F -l ${o.long.slice(2)} -d ${q(o.description)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** The completion script for `shell`, listing the program's commands, aliases and flags. */
export function completionScript(shell: string, program: Command): string {
  if (shell === 'bash') return bash(program);
  if (shell === 'zsh') return `# pm completion for zsh: add to ~/.zshrc:  source <(pm completion zsh)\nautoload -U +X bashcompinit && bashcompinit\n${bash(program)}`;
  if (shell === 'fish') return fish(program);
  throw usageError(`no completion for shell "${shell}"`, `use one of: ${SHELLS.join(', ')}`, { shell });
}
