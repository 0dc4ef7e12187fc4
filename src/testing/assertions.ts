/** Assertions for plugin tests: each failure says what was expected, what came, and where to look. */
import { AssertionError } from 'node:assert';
import { isDeepStrictEqual, inspect } from 'node:util';
import type { TestHost, ToolResult } from './test-host.js';

function fail(message: string, actual?: unknown, expected?: unknown, fn?: Function): never {
  throw new AssertionError({ message, actual, expected, operator: 'pmkit', stackStartFn: fn });
}

function show(v: unknown): string {
  return inspect(v, { depth: 6, breakLength: 120 });
}

/** The text of a tool result's text blocks, joined by newlines. */
export function resultText(result: ToolResult): string {
  return (result?.content ?? []).flatMap((c) => (c && c.type === 'text' && typeof c.text === 'string' ? [c.text] : [])).join('\n');
}

export interface ToolResultExpectation {
  /** The whole text (string: exact; RegExp: must match). */
  text?: string | RegExp;
  /** A substring the text must contain. */
  contains?: string;
  /** Default false: a result with isError fails unless this says true. */
  isError?: boolean;
  /** Deep-equals structuredContent. */
  structuredContent?: Record<string, unknown>;
  /** The text parsed as JSON deep-equals this. */
  json?: unknown;
}

/** Asserts a tool result: not an error (unless expected), and its text, JSON or structured content. */
export function assertToolResult(result: ToolResult, expected: ToolResultExpectation = {}): void {
  if (!result || !Array.isArray(result.content)) fail(`expected an MCP tool result with a content array, got ${show(result)}`, result, expected, assertToolResult);
  const text = resultText(result);
  const wantError = expected.isError ?? false;
  if (Boolean(result.isError) !== wantError) {
    fail(wantError ? `expected the tool to fail (isError), but it succeeded with: ${show(text)}` : `expected the tool to succeed, but it returned an error: ${text}`, result, expected, assertToolResult);
  }
  if (typeof expected.text === 'string' && text !== expected.text) fail(`tool result text differs:\n  expected: ${show(expected.text)}\n  actual:   ${show(text)}`, text, expected.text, assertToolResult);
  if (expected.text instanceof RegExp && !expected.text.test(text)) fail(`tool result text does not match ${expected.text}:\n  actual: ${show(text)}`, text, expected.text, assertToolResult);
  if (expected.contains !== undefined && !text.includes(expected.contains)) fail(`tool result text does not contain ${show(expected.contains)}:\n  actual: ${show(text)}`, text, expected.contains, assertToolResult);
  if (expected.structuredContent !== undefined && !isDeepStrictEqual(result.structuredContent, expected.structuredContent)) {
    fail(`structuredContent differs:\n  expected: ${show(expected.structuredContent)}\n  actual:   ${show(result.structuredContent)}`, result.structuredContent, expected.structuredContent, assertToolResult);
  }
  if (expected.json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      fail(`tool result text is not JSON: ${show(text)}`, text, expected.json, assertToolResult);
    }
    if (!isDeepStrictEqual(parsed, expected.json)) fail(`tool result JSON differs:\n  expected: ${show(expected.json)}\n  actual:   ${show(parsed)}`, parsed, expected.json, assertToolResult);
  }
}

/** Asserts that `plugin` (default: the plugin under test) has a handler registered for `event`. */
export function assertHookRegistered(host: TestHost, event: string, plugin: string = host.name): void {
  const handlers = host.hookHandlers(event);
  if (!handlers.some((h) => h.plugin === plugin)) {
    const by = handlers.map((h) => h.plugin);
    fail(`expected plugin ${plugin} to handle ${event}, but ${by.length ? `only ${by.join(', ')} do` : 'no plugin does'} (declare it in plugin.json contributes.hooks and export it under hooks["${event}"])`, by, plugin, assertHookRegistered);
  }
}

/** Validates a plugin folder as `pm plugin-validate` does and fails listing every error. */
export async function assertManifestValid(dir: string, opts: { strict?: boolean } = {}): Promise<void> {
  const { validatePlugin } = await import('../core/validate/validate-plugin.js');
  const { inspectEntry } = await import('../host/inspect-entry.js');
  const report = await validatePlugin(dir, { strict: Boolean(opts.strict), inspectEntry });
  if (!report.ok) {
    const lines = report.errors.map((f) => `  - ${f.where ? `${f.where}: ` : ''}${f.message}${f.hint ? ` (${f.hint})` : ''}`);
    fail(`${report.dir} is not a valid plugin (${report.errors.length} error${report.errors.length === 1 ? '' : 's'}):\n${lines.join('\n')}`, report.errors, [], assertManifestValid);
  }
}

/** What counts as a denial: a guard's veto, a plugin-to-plugin call refused, or the sandbox refusing access. */
const DENIAL = /Access to this API has been restricted|was blocked|was denied|denied by|may not|ERR_ACCESS_DENIED|permission|not allowed|TOOL_CALL_DENIED|HOOK_DENIED/i;

/**
 * Asserts that an operation was denied: a tool result with isError saying so, or a promise
 * (or function) that rejects with such an error. `reason` must then match the message too.
 * Returns the message.
 */
export async function assertDenied(outcome: ToolResult | Promise<unknown> | (() => unknown), reason?: string | RegExp): Promise<string> {
  let message: string;
  let value: unknown;
  try {
    value = typeof outcome === 'function' ? await outcome() : await outcome;
  } catch (err) {
    const e = err as { message?: string; code?: string };
    message = `${e?.code ?? ''} ${e?.message ?? String(err)}`.trim();
    return check(message);
  }
  const r = value as ToolResult;
  if (r && Array.isArray(r.content) && r.isError) return check(resultText(r));
  return fail(`expected a denial, but the operation succeeded with ${show(r && Array.isArray(r.content) ? resultText(r) : value)}`, value, reason ?? DENIAL, assertDenied);

  function check(msg: string): string {
    if (!DENIAL.test(msg)) fail(`expected a denial, but it failed for another reason: ${msg}`, msg, DENIAL, assertDenied);
    if (typeof reason === 'string' && !msg.includes(reason)) fail(`the denial does not mention ${show(reason)}: ${msg}`, msg, reason, assertDenied);
    if (reason instanceof RegExp && !reason.test(msg)) fail(`the denial does not match ${reason}: ${msg}`, msg, reason, assertDenied);
    return msg;
  }
}
