import { Chalk, type ChalkInstance } from 'chalk';
import { ExitCode, hintOf, isPmError } from '../core/errors.js';
import { fromSystemError } from '../core/fs/system-error.js';

export interface GlobalOptions {
  home?: string;
  json: boolean;
  verbose: boolean;
  color: boolean;
}

interface Spinner {
  text: string;
  succeed(text?: string): void;
  fail(text?: string): void;
  stop(): void;
  /** Writes around the spinner: clears its line, runs `write`, then draws it again. */
  around(write: () => void): void;
}

/** Human vs --json output. stdout carries results only; everything else goes to stderr. */
export class Output {
  /** Colours for stdout. */
  readonly c: ChalkInstance;
  /** Colours for stderr, which may be a terminal when stdout is not. */
  private readonly ce: ChalkInstance;
  readonly json: boolean;
  readonly verbose: boolean;
  private readonly stdout: NodeJS.WriteStream;
  private readonly stderr: NodeJS.WriteStream;

  constructor(opts: GlobalOptions, streams: { stdout?: NodeJS.WriteStream; stderr?: NodeJS.WriteStream } = {}) {
    this.stdout = streams.stdout ?? process.stdout;
    this.stderr = streams.stderr ?? process.stderr;
    this.json = opts.json;
    this.verbose = opts.verbose;
    const allowed = opts.color && !process.env.NO_COLOR;
    this.c = new Chalk({ level: allowed && this.stdout.isTTY ? 1 : 0 });
    this.ce = new Chalk({ level: allowed && this.stderr.isTTY ? 1 : 0 });
  }

  /** Prints a command's result: `data` as JSON under --json, else the human lines. */
  result(data: unknown, human: () => string | string[] | undefined): void {
    if (this.json) {
      this.stdout.write(JSON.stringify(data, null, 2) + '\n');
      return;
    }
    const text = human();
    if (text === undefined) return;
    const lines = Array.isArray(text) ? text : [text];
    if (lines.length) this.stdout.write(lines.join('\n') + '\n');
  }

  /** Text that is the result itself (a script, a file), written to stdout as is, even under --json. */
  raw(text: string): void {
    this.stdout.write(text);
  }

  /** A progress or status line: stderr, never under --json. */
  info(message: string): void {
    if (!this.json) this.stderr.write(message + '\n');
  }

  warn(message: string): void {
    this.stderr.write(this.ce.yellow('warning: ') + message + '\n');
  }

  debug(message: string): void {
    if (this.verbose) this.stderr.write(this.ce.dim(message) + '\n');
  }

  /**
   * A spinner on stderr, only on a TTY and never under --json; otherwise a no-op.
   * With `delayMs` it appears only once the wait has lasted that long (short waits stay quiet).
   */
  async spinner(text: string, opts: { delayMs?: number } = {}): Promise<Spinner> {
    if (this.json || !this.stderr.isTTY || process.env.CI) {
      return { text, succeed() {}, fail() {}, stop() {}, around: (write) => write() };
    }
    const { default: ora } = await import('ora');
    const s = ora({ text, stream: this.stderr });
    let timer: NodeJS.Timeout | undefined;
    if (opts.delayMs) timer = setTimeout(() => s.start(), opts.delayMs).unref();
    else s.start();
    const end = (f: () => void) => { clearTimeout(timer); if (s.isSpinning) f(); };
    return {
      get text() { return s.text; },
      set text(t: string) { s.text = t; },
      succeed: (t?: string) => end(() => s.succeed(t)),
      fail: (t?: string) => end(() => s.fail(t)),
      stop: () => end(() => s.stop()),
      around: (write) => {
        if (!s.isSpinning) return write();
        s.clear();
        write();
        s.render();
      },
    };
  }

  /** Renders any thrown value and returns the exit code it maps to. */
  error(thrown: unknown): number {
    const e = this.ce;
    const err = fromSystemError(thrown) ?? thrown;
    if (isPmError(err)) {
      const hint = hintOf(err);
      if (this.json) {
        this.stdout.write(JSON.stringify({ error: { ...err.toJSON(), hint } }, null, 2) + '\n');
      } else {
        this.stderr.write(e.red('error: ') + err.message + '\n');
        if (hint) this.stderr.write(e.cyan('hint: ') + hint + '\n');
      }
      if (this.verbose && err.stack) this.stderr.write(e.dim(err.stack) + '\n');
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    if (this.json) this.stdout.write(JSON.stringify({ error: { code: 'INTERNAL', message } }, null, 2) + '\n');
    else {
      this.stderr.write(e.red('error: ') + message + '\n');
      if (!this.verbose) this.stderr.write(e.cyan('hint: ') + 'this is a bug in pm; run again with --verbose for details and report it\n');
    }
    if (this.verbose && err instanceof Error && err.stack) this.stderr.write(e.dim(err.stack) + '\n');
    return ExitCode.failure;
  }
}
