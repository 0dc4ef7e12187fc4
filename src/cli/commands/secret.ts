import type { Command } from 'commander';
import { action } from '../action.js';
import { usageError } from '../../core/errors.js';
import { canPrompt } from './sign-shared.js';

/** Read at most this much from stdin: a little over the longest value accepted, so an oversized one is refused, not truncated. */
const MAX_STDIN_BYTES = 64 * 1024;

/** The value piped in on stdin (everything until it closes), bounded. */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    total += chunk.length;
    if (total > MAX_STDIN_BYTES) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The value: from stdin when it is not a terminal, else from a hidden prompt. Never echoed. */
async function readSecretValue(name: string): Promise<string> {
  if (!process.stdin.isTTY) return readStdin();
  if (!canPrompt()) throw usageError(`pm secret-set ${name} has no terminal to ask on`, `pipe the value in: printf '%s' "$VALUE" | pm secret-set ${name}`);
  const { password } = await import('@inquirer/prompts');
  // No mask: not even the value's length shows on the screen.
  return password({ message: `value of ${name} (not shown):` }, { output: process.stderr });
}

/** Registers secret-set, secret-list and secret-remove. */
export function register(program: Command): void {
  program
    .command('secret-set')
    .description('store a secret for server plugins that reference ${secret.NAME} (value from stdin, or typed hidden)')
    .argument('<name>', 'letters, digits and _, e.g. GITHUB_TOKEN')
    .addHelpText('after', `
The value is read from stdin when it is piped, else asked for without echo on a
terminal; it is never taken from the command line (shell history, ps). One trailing
newline is dropped. Secrets live in <home>/secrets.json (mode 0600) and reach only the
plugins whose server spec references them; pm never prints or logs them.

Examples:
  $ pm secret-set GITHUB_TOKEN                        type it (hidden)
  $ gh auth token | pm secret-set GITHUB_TOKEN        piped from another program`)
    .action(action(async ({ out, home }, name: string) => {
      const { checkSecretName, setSecret } = await import('../../core/store/secrets.js');
      // A bad name is refused before asking for the value.
      checkSecretName(name);
      const value = await readSecretValue(name);
      const r = await setSecret(name, value, { home });
      out.result(r, () => `${r.replaced ? 'replaced' : 'stored'} secret ${name}`);
    }));

  program
    .command('secret-list')
    .description('list the stored secrets: names and dates, never values')
    .action(action(async ({ out, home }) => {
      const { listSecrets } = await import('../../core/store/secrets.js');
      const secrets = await listSecrets({ home });
      out.result({ secrets }, () => (secrets.length
        ? secrets.map((s) => `${s.name.padEnd(24)} set ${s.updatedAt.slice(0, 19).replace('T', ' ')}`)
        : ["no secrets yet: store one with 'pm secret-set NAME'"]));
    }));

  program
    .command('secret-remove')
    .description('delete a stored secret (plugins that reference it start without it)')
    .argument('<name>', 'the secret')
    .action(action(async ({ out, home }, name: string) => {
      const { removeSecret } = await import('../../core/store/secrets.js');
      const r = await removeSecret(name, { home });
      out.result({ name: r.name, removed: true }, () => `removed secret ${name}`);
    }));
}
