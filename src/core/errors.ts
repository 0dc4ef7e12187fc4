/** Process exit codes, the single source of truth (DESIGN §7). */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  validation: 3,
  verification: 4,
} as const;

export type ErrorKind = Exclude<keyof typeof ExitCode, 'ok'>;

export interface PmErrorOptions {
  /** What the user can do next; rendered as `hint: …`. */
  hint?: string;
  /** Which exit code the CLI maps this error to (default: failure). */
  kind?: ErrorKind;
  /** Structured fields for --json output and for tests. */
  data?: Record<string, unknown>;
  cause?: unknown;
}

/** The one error type the library throws; only cli/output.ts renders it. */
export class PmError extends Error {
  readonly code: string;
  readonly hint?: string;
  readonly kind: ErrorKind;
  readonly data?: Record<string, unknown>;

  constructor(code: string, message: string, options: PmErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PmError';
    this.code = code;
    this.hint = options.hint;
    this.kind = options.kind ?? 'failure';
    this.data = options.data;
  }

  get exitCode(): number {
    return ExitCode[this.kind];
  }

  toJSON(): Record<string, unknown> {
    return { code: this.code, message: this.message, hint: this.hint, ...(this.data ? { data: this.data } : {}) };
  }
}

/** Unlike `instanceof`, this works across module copies and realms. */
export function isPmError(e: unknown): e is PmError {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'PmError' && typeof (e as { code?: unknown }).code === 'string';
}

/** Shorthand for a usage error (exit 2). */
export function usageError(message: string, hint?: string, data?: Record<string, unknown>): PmError {
  return new PmError('USAGE', message, { kind: 'usage', hint, data });
}
