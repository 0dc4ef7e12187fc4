import type { Command } from 'commander';
import type { ServerConsent, StageServerOptions } from '../core/sources/stage-server.js';
import { shellCommand } from '../core/shell-quote.js';
import { canPrompt } from './commands/sign-shared.js';
import type { Output } from './output.js';

const collect = (v: string, prev: string[]) => [...prev, v];

/** The flags of every server source (plugin-install npm:/pypi:, plugin-update of one, mcp-add). */
export interface ServerFlagValues {
  env: string[];
  arg: string[];
  allowRead: string[];
  allowWrite: string[];
  allowNet: string[];
  yes?: boolean;
}

/** Adds --env, --arg, --allow-read, --allow-write, --allow-net and --yes to a command. */
export function serverFlagOptions(cmd: Command): Command {
  return cmd
    .option('--env <KEY=VALUE>', "environment variable of the server, ${secret.NAME} and ${config.KEY} allowed (repeat for more)", collect, [])
    .option('--arg <value>', "argument appended to the server's command (repeat for more)", collect, [])
    .option('--allow-read <path>', 'let the server read this path (repeat for more)', collect, [])
    .option('--allow-write <path>', 'let the server write this path (repeat for more)', collect, [])
    .option('--allow-net <host>', 'let the server reach this host (repeat for more)', collect, [])
    .option('--yes', 'accept the permissions shown without asking (required without a terminal)');
}

/** Whether any server-only flag was given (they mean nothing for a folder or .tgz). */
export function hasServerFlags(o: ServerFlagValues): boolean {
  return Boolean(o.env.length || o.arg.length || o.allowRead.length || o.allowWrite.length || o.allowNet.length);
}

/** What the user is asked to accept, in plain words (stderr); the warnings are printed apart. */
export function consentLines(c: ServerConsent): string[] {
  const lines = [`${c.plugin}@${c.version} (${c.source.type} server plugin) will run:`, `  ${shellCommand(c.command)}`];
  for (const e of c.env) lines.push(`  env ${e}`);
  if (c.changes?.length) lines.push('Changes:', ...c.changes.map((x) => `  ${x}`));
  lines.push('Permissions:');
  for (const p of c.permissions) lines.push(`  ${p.permission.padEnd(12)} ${p.granted || 'nothing'}  (${p.note})`);
  return lines;
}

/**
 * The consent part of a server source's options: shows the permissions on stderr, then takes
 * --yes, asks on a terminal, or (neither) lets core refuse with CONSENT_REQUIRED.
 */
export function consentOptions(out: Output, o: ServerFlagValues, beforeAsk?: () => void): Pick<StageServerOptions, 'env' | 'args' | 'allowRead' | 'allowWrite' | 'allowNet' | 'yes' | 'onConsent' | 'confirm'> {
  return {
    env: o.env, args: o.arg, allowRead: o.allowRead, allowWrite: o.allowWrite, allowNet: o.allowNet, yes: o.yes,
    onConsent: (c) => {
      beforeAsk?.();
      for (const line of consentLines(c)) out.info(line);
      for (const w of c.warnings) out.warn(w);
    },
    ...(!o.yes && canPrompt() ? {
      confirm: async (c: ServerConsent) => {
        const { confirm } = await import('@inquirer/prompts');
        return confirm({ message: `Install ${c.plugin} with these permissions?`, default: false }, { output: process.stderr });
      },
    } : {}),
  };
}
