import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ExitCode, isErrorCode, type ErrorCodeSpec } from '../../../src/core/error-codes.js';
import { PmError, hintOf, usageError } from '../../../src/core/errors.js';
import { Output } from '../../../src/cli/output.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const docPath = join(root, 'docs', 'errors.md');

/** docs/errors.md, rendered from the table. */
function renderDoc(): string {
  const rows = (Object.entries(ERROR_CODES) as [string, ErrorCodeSpec][]).sort(([a], [b]) => a.localeCompare(b));
  const cell = (s: string | undefined) => (s ?? '').replaceAll('|', '\\|');
  return [
    '# Error codes',
    '',
    '<!-- Generated from src/core/error-codes.ts by test/unit/core/error-codes.test.ts; run',
    '     PM_UPDATE_DOCS=1 npx vitest run test/unit/core/error-codes.test.ts after changing the table. -->',
    '',
    'Every error pm reports has a stable `code`. Under `--json` a failed command prints',
    '`{ "error": { "code", "message", "hint", "data"? } }` on stdout; otherwise `error: …` and',
    '`hint: …` on stderr. When the place that failed gives no hint of its own, the default hint',
    'below is shown. Over MCP a failed call carries the message (and a specific hint, if any),',
    'never these default hints, which are written for people at a terminal.',
    '',
    `Exit codes: ${ExitCode.ok} ok, ${ExitCode.failure} failure, ${ExitCode.usage} usage, ${ExitCode.validation} validation failed, ${ExitCode.verification} verification failed (checksum, signature, rollback, freeze).`,
    '',
    "Errors thrown by a plugin's own code keep the plugin's code (any string; `PLUGIN_ERROR` when it",
    'gives none) and exit 1; they are not in this table.',
    '',
    '| Code | Exit | Meaning | Default hint |',
    '|---|---|---|---|',
    ...rows.map(([code, s]) => `| \`${code}\` | ${ExitCode[s.kind]} | ${cell(s.summary)} | ${cell(s.hint)} |`),
    '',
  ].join('\n');
}

async function sourceFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await sourceFiles(p)));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

interface Thrown { code: string; at: string }

/**
 * Codes thrown in one source file: literal first arguments of `new PmError(…)`, of `usageError`
 * (USAGE), and of local helpers whose code parameter is typed ErrorCode. A code that is neither a
 * literal nor such a parameter is reported as `<dynamic>`; PmError.fromPlugin is the plugins' path.
 */
function thrownCodes(file: string, text: string): Thrown[] {
  const src = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const at = (n: ts.Node) => `${relative(root, file)}:${src.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
  const helpers = new Map<string, number>();
  const optionalCode = new Set<string>();
  const scan = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) {
      n.parameters.forEach((p, i) => {
        if (p.type?.getText() !== 'ErrorCode') return;
        const name = n.name?.getText() ?? (ts.isVariableDeclaration(n.parent) ? n.parent.name.getText() : undefined);
        if (name) helpers.set(name, i);
        if (name && (p.initializer || p.questionToken)) optionalCode.add(name);
      });
    }
    ts.forEachChild(n, scan);
  };
  scan(src);
  // An identifier is fine when an enclosing function declares it as a parameter of type ErrorCode.
  const isTypedParam = (id: ts.Identifier): boolean => {
    for (let p: ts.Node | undefined = id.parent; p; p = p.parent) {
      if (ts.isFunctionLike(p) && p.parameters.some((q) => q.name.getText() === id.text)) {
        return p.parameters.some((q) => q.name.getText() === id.text && q.type?.getText() === 'ErrorCode');
      }
    }
    return false;
  };
  // So is a lookup in a map declared in this file as holding ErrorCodes (e.g. Record<string, ErrorCode>).
  const typedMaps = new Set<string>();
  const maps = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && n.type && /\bErrorCode\b/.test(n.type.getText())) typedMaps.add(n.name.getText());
    ts.forEachChild(n, maps);
  };
  maps(src);
  const found: Thrown[] = [];
  const literals = (n: ts.Expression | undefined, where: ts.Node): void => {
    if (!n) return void found.push({ code: '<missing>', at: at(where) });
    if (ts.isStringLiteralLike(n)) return void found.push({ code: n.text, at: at(n) });
    if (ts.isConditionalExpression(n)) return literals(n.whenTrue, where), literals(n.whenFalse, where);
    if (ts.isParenthesizedExpression(n)) return literals(n.expression, where);
    if (ts.isIdentifier(n) && isTypedParam(n)) return;
    if (ts.isNonNullExpression(n)) return literals(n.expression, where);
    if (ts.isElementAccessExpression(n) && typedMaps.has(n.expression.getText())) return;
    found.push({ code: `<dynamic ${n.getText()}>`, at: at(n) });
  };
  const visit = (n: ts.Node): void => {
    if (ts.isNewExpression(n) && n.expression.getText() === 'PmError') literals(n.arguments?.[0], n);
    else if (ts.isCallExpression(n) && ts.isIdentifier(n.expression)) {
      if (n.expression.text === 'usageError') found.push({ code: 'USAGE', at: at(n) });
      const i = helpers.get(n.expression.text);
      // A code parameter with a default may be left out; the default is itself checked by tsc.
      if (i !== undefined && (i < n.arguments.length || !optionalCode.has(n.expression.text))) literals(n.arguments[i], n);
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return found;
}

describe('error code table', () => {
  it('gives every code an exit kind, a one-line meaning and a one-line default hint', () => {
    for (const [code, s] of Object.entries(ERROR_CODES) as [string, ErrorCodeSpec][]) {
      expect(code, code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(Object.keys(ExitCode), code).toContain(s.kind);
      expect(s.summary, code).toMatch(/^\S[^\n]*$/);
      if (s.hint !== undefined) expect(s.hint, code).toMatch(/^\S[^\n]*$/);
    }
  });

  it('has a row for every code thrown anywhere in src (scanned from the sources)', async () => {
    const files = await sourceFiles(join(root, 'src'));
    const thrown: Thrown[] = [];
    for (const f of files) thrown.push(...thrownCodes(f, await readFile(f, 'utf8')));
    expect(thrown.length).toBeGreaterThan(150);
    expect(thrown.filter((t) => !isErrorCode(t.code)).map((t) => `${t.code} at ${t.at}`)).toEqual([]);
  });

  it('the scan sees codes passed through conditionals and typed helpers, and flags untyped ones', () => {
    const text = [
      "function refuse(code: ErrorCode, m: string) { return new PmError(code, m); }",
      "function loose(code: string) { return new PmError(code, 'x'); }",
      "throw refuse(ok ? 'TAR_LINK' : 'NOT_A_CODE', 'm');",
    ].join('\n');
    expect(thrownCodes(join(root, 'src/x.ts'), text).map((t) => t.code)).toEqual(['<dynamic code>', 'TAR_LINK', 'NOT_A_CODE']);
  });

  it('docs/errors.md is generated from the table (PM_UPDATE_DOCS=1 rewrites it)', async () => {
    const want = renderDoc();
    if (process.env.PM_UPDATE_DOCS === '1') await writeFile(docPath, want);
    const have = await readFile(docPath, 'utf8').catch(() => '');
    expect(have, 'docs/errors.md is stale: run PM_UPDATE_DOCS=1 npx vitest run test/unit/core/error-codes.test.ts').toBe(want);
  });
});

describe('PmError and the table', () => {
  it('takes its exit code from the code row', () => {
    expect(new PmError('TAR_LINK', 'x').exitCode).toBe(4);
    expect(new PmError('MANIFEST_INVALID', 'x').exitCode).toBe(3);
    expect(usageError('x').exitCode).toBe(2);
    expect(new PmError('STORE_LOCKED', 'x').exitCode).toBe(1);
  });

  it("carries a plugin's own code verbatim through fromPlugin, exit 1 and no default hint of pm's", () => {
    const err = PmError.fromPlugin('TAR_LINK', 'notes: my own code', { data: { plugin: 'notes' } });
    expect(err).toMatchObject({ code: 'TAR_LINK', kind: 'failure', exitCode: 1, fromPlugin: true, hint: undefined });
    expect(hintOf(err)).toBeUndefined();
    expect(PmError.fromPlugin('NOTES_FULL', 'x', { hint: 'delete a note' }).hint).toBe('delete a note');
  });

  it("the CLI shows the code's default hint when the thrower gives none, human and --json; the thrower's hint wins", () => {
    const run = (json: boolean, err: PmError) => {
      let out = '';
      let errText = '';
      const stream = (sink: (s: string) => void) => ({ isTTY: false, write: (s: string) => (sink(s), true) }) as unknown as NodeJS.WriteStream;
      const o = new Output({ json, verbose: false, color: false }, { stdout: stream((s) => (out += s)), stderr: stream((s) => (errText += s)) });
      const code = o.error(err);
      return { code, out, err: errText };
    };
    const human = run(false, new PmError('STORE_LOCKED', 'PM_HOME /h is locked'));
    expect(human).toEqual({ code: 1, out: '', err: `error: PM_HOME /h is locked\nhint: ${ERROR_CODES.STORE_LOCKED.hint}\n` });
    const json = run(true, new PmError('TAR_LINK', 'refused x.tgz'));
    expect(json.code).toBe(4);
    expect(JSON.parse(json.out)).toEqual({ error: { code: 'TAR_LINK', message: 'refused x.tgz', hint: ERROR_CODES.TAR_LINK.hint } });
    expect(run(false, new PmError('STORE_LOCKED', 'm', { hint: 'mine' })).err).toBe('error: m\nhint: mine\n');
  });

  it('keeps default hints off the MCP wire: toJSON carries only the thrower\'s hint', () => {
    expect(new PmError('STORE_LOCKED', 'm').toJSON()).toEqual({ code: 'STORE_LOCKED', message: 'm', hint: undefined });
  });
});
