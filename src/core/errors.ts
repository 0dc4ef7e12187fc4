import { ERROR_CODES, ExitCode, type ErrorCode, type ErrorKind } from './error-codes.js';

export { ExitCode, type ErrorCode, type ErrorKind } from './error-codes.js';

export interface PmErrorOptions {
  /** What the user can do next; rendered as `hint: …`. Without one, the CLI shows the code's default hint. */
  hint?: string;
  /** Structured fields for --json output and for tests. */
  data?: Record<string, unknown>;
  cause?: unknown;
}

/** The one error type the library throws; only cli/output.ts renders it. Its exit kind comes from the code's row in core/error-codes.ts. */
export class PmError extends Error {
  /** A row of ERROR_CODES, or a plugin's own code when `fromPlugin` is true. */
  readonly code: string;
  readonly hint?: string;
  readonly kind: ErrorKind;
  readonly data?: Record<string, unknown>;
  /** True when the code is a plugin's own, passed on verbatim (not a row of the table). */
  readonly fromPlugin: boolean;

  constructor(code: ErrorCode, message: string, options: PmErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PmError';
    this.code = code;
    this.hint = options.hint;
    // A code missing at runtime (a caller that bypassed the types) is still an ordinary failure.
    this.kind = (ERROR_CODES as Record<string, { kind: ErrorKind }>)[code]?.kind ?? 'failure';
    this.data = options.data;
    this.fromPlugin = false;
  }

  /** An error carrying a code a plugin chose: any string, exit 1, no default hint from pm's table. */
  static fromPlugin(code: string, message: string, options: PmErrorOptions = {}): PmError {
    const err = new PmError('PLUGIN_ERROR', message, options);
    Object.assign(err, { code, kind: 'failure', fromPlugin: true });
    return err;
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

/** The hint to show a person: the thrower's, else the default of the code's row (never for a plugin's own code). */
export function hintOf(err: PmError): string | undefined {
  if (err.hint) return err.hint;
  if (err.fromPlugin) return undefined;
  return (ERROR_CODES as Record<string, { hint?: string }>)[err.code]?.hint;
}

/** Shorthand for a usage error (exit 2). */
export function usageError(message: string, hint?: string, data?: Record<string, unknown>): PmError {
  return new PmError('USAGE', message, { hint, data });
}
