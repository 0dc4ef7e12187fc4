import { existsSync } from 'node:fs';
import { PmError } from '../errors.js';

/** What `pm plugin-install <source>` was given, once its prefix is read. */
export type InstallSource =
  | { type: 'npm'; spec: string; package: string }
  | { type: 'pypi'; spec: string; package: string; version?: string }
  /** An MCP Registry entry (`registry:<name>[@<version>]`, read from --registry-url) or a server.json file (`registry:file:<path>`). */
  | { type: 'registry'; spec: string; name?: string; version?: string; file?: string }
  /** A folder, a .tgz, an http(s) URL or a bare name: the store's own install (core/store/source.ts) tells them apart. */
  | { type: 'path'; path: string };

/** The source prefixes pm knows, in the order errors list them. */
export const SOURCE_PREFIXES = ['npm:<package>[@<range>]', 'pypi:<package>[==<version>]', 'registry:<name>[@<version>]', 'registry:file:<server.json>'] as const;

/** The package name of an npm spec: `@scope/name@range` → `@scope/name`; a path or URL spec → the spec itself. */
function npmPackageName(spec: string): string {
  const at = spec.indexOf('@', spec.startsWith('@') ? 1 : 0);
  return at < 0 ? spec : spec.slice(0, at);
}

/**
 * Reads the prefix of an install source: `npm:…` and `pypi:…` are server sources; an
 * unknown `xyz:` prefix is refused (SOURCE_PREFIX_UNKNOWN, exit 2) listing the known ones;
 * anything else (a folder, a .tgz, a URL, a marketplace name) goes to the store's install.
 */
export function parseInstallSource(source: string): InstallSource {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(source);
  // http(s) URLs, Windows drive letters (C:\…) and a path that exists as typed are not prefixes.
  if (!m || /^https?$/i.test(m[1]!) || (m[1]!.length === 1 && /^[\\/]/.test(m[2]!)) || existsSync(source)) return { type: 'path', path: source };
  const prefix = m[1]!.toLowerCase();
  const rest = m[2]!.trim();
  if (prefix === 'npm' || prefix === 'pypi') {
    if (!rest) {
      throw new PmError('SOURCE_PREFIX_UNKNOWN', `"${source}" names no package after ${prefix}:`, {
        hint: prefix === 'npm' ? 'write npm:<package>[@<range>], e.g. npm:@modelcontextprotocol/server-filesystem' : 'write pypi:<package>[==<version>], e.g. pypi:mcp-server-fetch',
        data: { source },
      });
    }
    if (prefix === 'npm') return { type: 'npm', spec: rest, package: npmPackageName(rest) };
    const eq = rest.indexOf('==');
    return eq < 0 ? { type: 'pypi', spec: rest, package: rest } : { type: 'pypi', spec: rest, package: rest.slice(0, eq).trim(), version: rest.slice(eq + 2).trim() };
  }
  if (prefix === 'registry') return parseRegistrySource(source, rest);
  throw new PmError('SOURCE_PREFIX_UNKNOWN', `"${m[1]}:" is not a source pm knows (in "${source}")`, {
    hint: `known prefixes: ${SOURCE_PREFIXES.join(', ')}; or give a folder, a .tgz or an http(s) URL`,
    data: { source, prefix: m[1], known: ['npm', 'pypi', 'registry'] },
  });
}

/** `registry:<name>[@<version>]` or `registry:file:<path>`; a name is reverse-DNS with one slash. */
function parseRegistrySource(source: string, rest: string): InstallSource {
  if (rest.startsWith('file:')) {
    const file = rest.slice(5).trim();
    if (file) return { type: 'registry', spec: source, file };
  } else {
    const at = rest.lastIndexOf('@');
    const name = at > 0 ? rest.slice(0, at) : rest;
    const version = at > 0 ? rest.slice(at + 1).trim() : undefined;
    if (/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/.test(name) && version !== '') return { type: 'registry', spec: source, name, ...(version ? { version } : {}) };
  }
  throw new PmError('SOURCE_PREFIX_UNKNOWN', `"${source}" names no MCP Registry server`, {
    hint: 'write registry:<name>[@<version>] with --registry-url <url>, e.g. registry:io.github.owner/weather@1.0.0, or registry:file:./server.json',
    data: { source },
  });
}
