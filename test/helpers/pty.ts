import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { pmBin } from './pm.js';

/** Arrow keys and friends, as a terminal sends them. */
export const keys = { enter: '\r', down: '\x1b[B', up: '\x1b[A', backspace: '\x7f', ctrlC: '\x03' } as const;

/** A program running on a real pseudo-terminal, driven the way a person types. */
export interface PtySession {
  /** Everything the program drew so far, with terminal escape codes removed. */
  readonly screen: string;
  /** Resolves once `text` appears after the last `expect` (or the start); rejects if the program exits first. */
  expect(text: string | RegExp): Promise<void>;
  /** Sends keystrokes. */
  type(keys: string): void;
  /** Resolves with the exit code once the program ends. */
  exited: Promise<number>;
  /** Kills the session if it is still running. */
  kill(): void;
}

/**
 * Runs `pm <args>` on a pseudo-terminal made by util-linux `script`, so stdin and stdout
 * are TTYs as they are for a person (node-pty would need a native build). Waits are
 * for text, never for time; the test's own timeout ends a session that hangs.
 */
export function runPmOnPty(args: string[], opts: { cwd: string; env?: Record<string, string | undefined> }): PtySession {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  // A wide terminal, so long messages are not wrapped across lines the test reads.
  const command = 'stty cols 250 rows 50 2>/dev/null; exec ' + [process.execPath, pmBin, ...args].map(quote).join(' ');
  const child: ChildProcessWithoutNullStreams = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: opts.cwd,
    env: { ...process.env, NO_COLOR: '1', TERM: 'xterm', ...opts.env },
  });
  let raw = '';
  let seenUpTo = 0;
  let ended = false;
  const waiters = new Set<() => void>();
  const wake = () => waiters.forEach((w) => w());
  child.stdout.on('data', (d: Buffer) => { raw += d.toString('utf8'); wake(); });
  child.stderr.on('data', (d: Buffer) => { raw += d.toString('utf8'); wake(); });
  const exited = new Promise<number>((resolve) => child.on('close', (code) => { ended = true; wake(); resolve(code ?? 1); }));

  const session: PtySession = {
    get screen() { return stripVTControlCharacters(raw); },
    expect(text) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          const rest = session.screen.slice(seenUpTo);
          const m = typeof text === 'string' ? (rest.includes(text) ? { index: rest.indexOf(text), length: text.length } : undefined)
            : (() => { const r = text.exec(rest); return r ? { index: r.index, length: r[0].length } : undefined; })();
          if (m) {
            waiters.delete(check);
            seenUpTo += m.index + m.length;
            resolve();
          } else if (ended) {
            waiters.delete(check);
            reject(new Error(`pm exited before showing ${String(text)}; screen:\n${session.screen}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
    type(k) { child.stdin.write(k); },
    exited,
    kill() { if (!ended) child.kill('SIGKILL'); },
  };
  return session;
}
