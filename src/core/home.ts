import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Resolves PM_HOME: --home, else $PM_HOME, else ~/.pm (DESIGN §4). */
export function resolveHome(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env.PM_HOME) return resolve(env.PM_HOME);
  return join(homedir(), '.pm');
}
