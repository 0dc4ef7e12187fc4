import { execFileSync } from 'node:child_process';

function runs(args: string[]): boolean {
  try {
    execFileSync('python3', args, { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/** Whether python3 runs here, and why not (for a skipped suite's title). */
export const python3Missing: string | undefined = runs(['--version']) ? undefined : 'python3 is not installed (apt-get install python3)';

/** Whether python3 can make a virtual environment with pip (Debian splits venv and ensurepip into python3-venv). */
export const venvMissing: string | undefined = python3Missing
  ?? (runs(['-c', 'import venv, ensurepip']) ? undefined : 'python3 cannot create virtual environments (apt-get install python3-venv)');

/** Says loudly, once per suite, what a skipped suite does not prove in this run. */
export function announceSkip(what: string, reason: string | undefined): void {
  if (reason) console.error(`\n*** SKIPPED: ${what}. ${reason}. Not proven in this run. ***\n`);
}
