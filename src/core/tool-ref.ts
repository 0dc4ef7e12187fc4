/**
 * How pm names a tool inside itself (CLI, hooks, `match`, `ctx.tools.call`): `<plugin>.<tool>`.
 * Plugin names cannot contain a dot (manifest schema), so the first dot ends the plugin's name and
 * everything after it is the tool's, dots included (a server plugin's own tools may have them).
 */

/** A tool, identified by the plugin that provides it and its name in that plugin. */
export interface ToolRef {
  readonly plugin: string;
  readonly tool: string;
}

/** `<plugin>.<tool>`, the name hooks, `match` globs and the CLI use. */
export function formatToolRef(ref: ToolRef): string {
  return `${ref.plugin}.${ref.tool}`;
}

/** Splits `<plugin>.<tool>` at its first dot; undefined when either side would be empty. */
export function parseToolRef(name: string): ToolRef | undefined {
  const dot = name.indexOf('.');
  if (dot <= 0 || dot === name.length - 1) return undefined;
  return { plugin: name.slice(0, dot), tool: name.slice(dot + 1) };
}
