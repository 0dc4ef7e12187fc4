import type { Command } from 'commander';
import { Output, type GlobalOptions } from './output.js';
import { checkHome, resolveHome } from '../core/home.js';
import { fromSystemError } from '../core/fs/system-error.js';
import { setStoreEventTransport } from '../core/store/events.js';
import { notifyPlugins } from './commands/lifecycle.js';

export interface CommandContext {
  out: Output;
  /** Resolved PM_HOME (--home, $PM_HOME, ~/.pm). */
  home: string;
  global: GlobalOptions;
}

/** Reads the program-wide flags from any command. */
export function globalOptions(cmd: Command): GlobalOptions {
  const o = cmd.optsWithGlobals() as Partial<GlobalOptions>;
  return { home: o.home, json: Boolean(o.json), verbose: Boolean(o.verbose), color: o.color !== false };
}

/**
 * Wraps a command action: builds the output and context, runs `fn`, and turns any
 * thrown error into a rendered message and an exit code. The only place that sets one.
 */
export function action<A extends unknown[]>(
  fn: (ctx: CommandContext, ...args: A) => Promise<number | void>,
  options: { checkHome?: boolean } = {},
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const global = globalOptions(cmd);
    const out = new Output(global);
    // Store operations announce their changes from core; the CLI delivers them to the plugins.
    setStoreEventTransport(notifyPlugins(out));
    const home = resolveHome(global.home);
    try {
      // doctor reports an unusable PM_HOME as one of its checks instead.
      if (options.checkHome !== false) await checkHome(home);
      const code = await fn({ out, home, global }, ...(args.slice(0, -1) as A));
      if (typeof code === 'number') process.exitCode = code;
    } catch (err) {
      // A full disk or a read-only PM_HOME is the user's to fix, not a bug in pm: say which path and what to do.
      process.exitCode = out.error(fromSystemError(err, home) ?? err);
    }
  };
}
