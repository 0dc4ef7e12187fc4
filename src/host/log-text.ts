/**
 * Log lines carry text from plugins: a newline, a carriage return or an ANSI escape in it
 * could forge a host log line or rewrite the terminal. Every log sink passes its text here.
 */

// C0 controls, DEL, C1 controls (0x9b is a one-byte CSI), line/paragraph separators, bidi overrides.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const hex = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `text` with every control character written as an escape (`\n`, `\u001b`): one visible line. */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => NAMED[c] ?? hex(c));
}

/** A JSON text with the control characters JSON.stringify leaves raw (DEL, C1, separators) escaped; still valid JSON. */
export function escapeJsonLine(json: string): string {
  return json.replace(CONTROL, hex);
}
