import { isDeepStrictEqual } from 'node:util';
import { parse, stringify, TomlError } from 'smol-toml';
import { PmError } from '../errors.js';
import { invalidConfig, type RawServer, type ServersDoc } from './servers-doc.js';

type Table = Record<string, unknown>;

const HEADER = /^\s*\[\[?(.+?)\]\]?\s*(?:#.*)?$/;
const KEY_PART = /\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*(?:\.|$)/gy;

/** The dotted key of a `[table]` header line, quotes removed; undefined for a line that is not one. */
function headerPath(line: string): string[] | undefined {
  const m = HEADER.exec(line);
  if (!m) return undefined;
  const parts: string[] = [];
  KEY_PART.lastIndex = 0;
  let k: RegExpExecArray | null;
  while (KEY_PART.lastIndex < m[1]!.length && (k = KEY_PART.exec(m[1]!))) {
    const w = k[1]!;
    parts.push(w.startsWith('"') ? (JSON.parse(w) as string) : w.startsWith("'") ? w.slice(1, -1) : w);
  }
  return parts;
}

/** The text without the `[table.name]` section and its sub-tables (header to the next header). */
function withoutSection(text: string, table: string, name: string): string {
  const lines = text.split(/(?<=\n)/);
  let skipping = false;
  let removed = false;
  const kept = lines.filter((line) => {
    const path = headerPath(line.replace(/\r?\n$/, ''));
    if (path) skipping = path[0] === table && path[1] === name;
    removed ||= skipping;
    return !skipping;
  });
  // The blank line that set a removed last section apart goes with it.
  return removed ? kept.join('').replace(/(\r?\n)+$/, '$1') : text;
}

/** Plain JSON-like objects, so parsed TOML and pm's own entry compare by value alone. */
function plain(v: unknown): unknown {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

function parseToml(text: string, path: string): Table {
  try {
    return parse(text) as Table;
  } catch (err) {
    if (err instanceof TomlError) throw invalidConfig(path, `is not valid TOML (${err.message.split('\n')[0]})`);
    throw err;
  }
}

/**
 * A Codex config.toml: the entry is written as its own `[mcp_servers.<name>]` section and the
 * rest of the text is kept; the result is parsed again and refused unless only that entry changed.
 */
export function parseTomlServers(text: string, table: string, path: string): ServersDoc {
  const doc = parseToml(text, path);
  const servers = doc[table];
  if (servers !== undefined && (typeof servers !== 'object' || servers === null || Array.isArray(servers))) throw invalidConfig(path, `has a "${table}" that is not a table`);
  const checked = (name: string, next: string, entry: RawServer | undefined): string => {
    let after: Table | undefined;
    try {
      after = plain(parse(next)) as Table;
    } catch { /* refused below: the entry is defined some other way (inline or dotted keys) */ }
    const afterServers = { ...((after?.[table] ?? {}) as Table) };
    const beforeServers = { ...((plain(servers) ?? {}) as Table) };
    const got = afterServers[name];
    delete afterServers[name];
    delete beforeServers[name];
    const rest = (d: Table) => Object.fromEntries(Object.entries(d).filter(([k]) => k !== table));
    if (!after || !isDeepStrictEqual(got, plain(entry)) || !isDeepStrictEqual(afterServers, beforeServers) || !isDeepStrictEqual(rest(after), rest(plain(doc) as Table))) {
      throw new PmError('CLIENT_CONFIG_UNEDITABLE', `${path} defines ${table}.${name} in a way pm cannot edit as its own section; it was left untouched`, { hint: 'edit the file by hand: the entry is shown by --print', data: { path } });
    }
    return next;
  };
  return {
    servers: (servers ?? {}) as Record<string, RawServer>,
    set(name, entry) {
      const base = withoutSection(text, table, name);
      const sep = base === '' ? '' : base.endsWith('\n\n') ? '' : base.endsWith('\n') ? '\n' : '\n\n';
      return checked(name, base + sep + stringify({ [table]: { [name]: entry } }).replace(/\n+$/, '\n'), entry);
    },
    remove(name) {
      return checked(name, withoutSection(text, table, name), undefined);
    },
  };
}
