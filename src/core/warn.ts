/** A lint-like finding: a warning normally, an error under --strict. */
export interface Finding {
  code: string;
  message: string;
  severity: 'error' | 'warning';
  /** JSON path (manifest) or file:line (code scan). */
  where?: string;
  hint?: string;
  data?: Record<string, unknown>;
}

/** Collects findings; `warn()` is the one way to report a lint finding (node-tar's warn-method). */
export class Findings {
  readonly items: Finding[] = [];
  constructor(readonly strict = false) {}

  error(code: string, message: string, extra: Omit<Finding, 'code' | 'message' | 'severity'> = {}): void {
    this.items.push({ code, message, severity: 'error', ...extra });
  }

  /** Records a warning, or an error when strict. */
  warn(code: string, message: string, extra: Omit<Finding, 'code' | 'message' | 'severity'> = {}): void {
    this.items.push({ code, message, severity: this.strict ? 'error' : 'warning', ...extra });
  }

  get errors(): Finding[] {
    return this.items.filter((f) => f.severity === 'error');
  }

  get warnings(): Finding[] {
    return this.items.filter((f) => f.severity === 'warning');
  }
}
