import { applyEdits, findNodeAtLocation, modify, parse, parseTree, printParseErrorCode, type FormattingOptions, type Node, type ParseError } from 'jsonc-parser';
import { invalidConfig, type RawServer, type ServersDoc } from './servers-doc.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The file's own indentation unit and line ends, so an edit looks like the rest of it. */
function formatting(text: string): Required<Pick<FormattingOptions, 'insertSpaces' | 'tabSize' | 'eol'>> & { unit: string } {
  const unit = /^([ \t]+)\S/m.exec(text)?.[1] ?? '  ';
  return { insertSpaces: !unit.includes('\t'), tabSize: unit.includes('\t') ? 1 : unit.length, eol: text.includes('\r\n') ? '\r\n' : '\n', unit };
}

/** The whitespace that starts the line `offset` is on. */
function lineIndent(text: string, offset: number): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

const splice = (text: string, from: number, to: number, insert: string) => text.slice(0, from) + insert + text.slice(to);

/**
 * A JSON (or VS Code's JSON with comments) client config. Edits touch only the server's own
 * entry, written in the file's indentation; neighbouring entries keep their layout.
 */
export function parseJsonServers(text: string, table: string, path: string): ServersDoc {
  const source = text.trim() === '' ? '{}\n' : text;
  const errors: ParseError[] = [];
  const doc: unknown = parse(source, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) {
    const e = errors[0]!;
    const line = source.slice(0, e.offset).split('\n').length;
    throw invalidConfig(path, `is not valid JSON (${printParseErrorCode(e.error)} on line ${line})`);
  }
  if (!isObject(doc)) throw invalidConfig(path, 'does not hold a JSON object');
  const servers = doc[table];
  if (servers !== undefined && !isObject(servers)) throw invalidConfig(path, `has a "${table}" that is not an object`);
  const fmt = formatting(source);
  const tree = parseTree(source, [], { allowTrailingComma: true })!;
  const tableNode = findNodeAtLocation(tree, [table]);
  const ended = (out: string) => (out.endsWith(fmt.eol) ? out : out + fmt.eol);
  const pretty = (value: RawServer, indent: string) => JSON.stringify(value, null, fmt.unit).split('\n').join(fmt.eol + indent);
  const props = (tableNode?.children ?? []) as Node[];
  const propOf = (name: string) => props.find((p) => p.children?.[0]?.value === name);
  return {
    servers: (servers ?? {}) as Record<string, RawServer>,
    set(name, entry) {
      if (!tableNode) return ended(applyEdits(source, modify(source, [table, name], entry, { formattingOptions: fmt })));
      const inner = lineIndent(source, tableNode.parent!.offset) + fmt.unit;
      const found = propOf(name);
      if (found) {
        const value = found.children![1]!;
        return ended(splice(source, value.offset, value.offset + value.length, pretty(entry, lineIndent(source, found.offset))));
      }
      const line = `${JSON.stringify(name)}: ${pretty(entry, inner)}`;
      const last = props[props.length - 1];
      if (last) return ended(splice(source, last.offset + last.length, last.offset + last.length, `,${fmt.eol}${lineIndent(source, last.offset)}${line}`));
      const outer = lineIndent(source, tableNode.parent!.offset);
      return ended(splice(source, tableNode.offset, tableNode.offset + tableNode.length, `{${fmt.eol}${inner}${line}${fmt.eol}${outer}}`));
    },
    remove(name) {
      const found = propOf(name);
      if (!found) return source;
      const k = props.indexOf(found);
      const end = found.offset + found.length;
      if (k > 0) {
        const prev = props[k - 1]!;
        return ended(splice(source, prev.offset + prev.length, end, ''));
      }
      if (props.length > 1) return ended(splice(source, found.offset, props[1]!.offset, ''));
      return ended(splice(source, tableNode!.offset, tableNode!.offset + tableNode!.length, '{}'));
    },
  };
}
