import { AssertionError } from 'node:assert';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/pm.js';
import { assertDenied, assertManifestValid, assertToolResult, resultText } from '../../../src/testing/assertions.js';

const ok = (text: string) => ({ content: [{ type: 'text' as const, text }] });
const err = (text: string) => ({ content: [{ type: 'text' as const, text }], isError: true });

describe('assertToolResult', () => {
  it('passes on matching text, regex, substring and JSON', () => {
    assertToolResult(ok('Hello, Ada!'), { text: 'Hello, Ada!' });
    assertToolResult(ok('Hello, Ada!'), { text: /Ada/ });
    assertToolResult(ok('Hello, Ada!'), { contains: ', A' });
    assertToolResult(ok('{"a":[1,2]}'), { json: { a: [1, 2] } });
    assertToolResult(err('nope'), { isError: true, text: 'nope' });
  });

  it('fails on a different text, showing both', () => {
    expect(() => assertToolResult(ok('Hello, Bob!'), { text: 'Hello, Ada!' })).toThrow("tool result text differs:\n  expected: 'Hello, Ada!'\n  actual:   'Hello, Bob!'");
  });

  it('fails on an error result when success was expected, quoting the error', () => {
    expect(() => assertToolResult(err('greet failed: boom'), { text: 'x' })).toThrow('expected the tool to succeed, but it returned an error: greet failed: boom');
  });

  it('fails on success when an error was expected', () => {
    expect(() => assertToolResult(ok('fine'), { isError: true })).toThrow("expected the tool to fail (isError), but it succeeded with: 'fine'");
  });

  it('fails on text that is not the JSON expected, or not JSON at all', () => {
    expect(() => assertToolResult(ok('{"a":1}'), { json: { a: 2 } })).toThrow(/tool result JSON differs/);
    expect(() => assertToolResult(ok('plain'), { json: {} })).toThrow("tool result text is not JSON: 'plain'");
  });

  it('fails on something that is not a tool result', () => {
    expect(() => assertToolResult('Hello' as never)).toThrow(/expected an MCP tool result with a content array/);
  });

  it('throws AssertionError, which node:test and vitest report as a failed assertion', () => {
    expect(() => assertToolResult(ok('a'), { text: 'b' })).toThrow(AssertionError);
  });

  it('resultText joins the text blocks and ignores the others', () => {
    expect(resultText({ content: [{ type: 'text', text: 'a' }, { type: 'image', data: '', mimeType: 'image/png' }, { type: 'text', text: 'b' }] })).toBe('a\nb');
  });
});

describe('assertDenied', () => {
  it('accepts a guard veto, a refused call, and a sandbox refusal, and returns the message', async () => {
    expect(await assertDenied(err('notes.delete was blocked by policy-guard: no'))).toMatch(/blocked/);
    await assertDenied(Promise.reject(Object.assign(new Error('plugin a may not call b.c'), { code: 'TOOL_CALL_DENIED' })), 'may not call');
    await assertDenied(() => { throw new Error('Access to this API has been restricted'); });
  });

  it('fails when the operation succeeded', async () => {
    await expect(assertDenied(ok('done'))).rejects.toThrow("expected a denial, but the operation succeeded with 'done'");
  });

  it('fails when it failed for another reason than a denial', async () => {
    await expect(assertDenied(err('greet failed: TypeError: x is undefined'))).rejects.toThrow('expected a denial, but it failed for another reason: greet failed: TypeError: x is undefined');
  });

  it('fails when the denial does not give the reason expected', async () => {
    await expect(assertDenied(err('x was blocked by g: rule A'), 'rule B')).rejects.toThrow("the denial does not mention 'rule B': x was blocked by g: rule A");
  });
});

describe('assertManifestValid', () => {
  it('passes for a valid plugin', async () => {
    await assertManifestValid(join(repoRoot, 'plugins-examples', 'notes'));
  });

  it('fails listing each error with where it is and what to do', async () => {
    await expect(assertManifestValid(join(repoRoot, 'test', 'fixtures', 'plugin-test-invalid'))).rejects.toThrow(/is not a valid plugin \(1 error\):\n {2}- name: must match/);
  });
});
