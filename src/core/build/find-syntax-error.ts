import { readFile } from 'node:fs/promises';

/** A syntax error at file:line:column (1-based). */
export interface SyntaxErrorAt {
  /** `path:line:column`, path relative to the plugin folder. */
  where: string;
  message: string;
}

/**
 * Parses JavaScript files with TypeScript's parser (no type check) and returns the first
 * syntax error with its line and column; Node's own load error does not say where it is.
 * Loaded only after an entry failed to load, so valid plugins never pay for it.
 */
export async function findSyntaxError(files: Array<{ path: string; abs: string }>): Promise<SyntaxErrorAt | undefined> {
  const { default: ts } = await import('typescript');
  for (const f of files) {
    const text = await readFile(f.abs, 'utf8');
    const out = ts.transpileModule(text, {
      fileName: f.abs,
      reportDiagnostics: true,
      compilerOptions: { module: f.path.endsWith('.cjs') ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    const d = out.diagnostics?.find((x) => x.category === ts.DiagnosticCategory.Error && x.file && x.start !== undefined);
    if (d) {
      const at = d.file!.getLineAndCharacterOfPosition(d.start!);
      return { where: `${f.path}:${at.line + 1}:${at.character + 1}`, message: ts.flattenDiagnosticMessageText(d.messageText, ' ') };
    }
  }
  return undefined;
}
