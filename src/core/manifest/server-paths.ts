import type { ServerSpec } from './types.js';

/** One string of a `server` block with the path it is reported under (`server.args[1]`). */
export interface ServerField {
  where: string;
  text: string;
}

/** Every string of a server block that takes substitutions, in manifest order; skips values of the wrong type. */
export function serverFields(spec: unknown): ServerField[] {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return [];
  const s = spec as Partial<Record<keyof ServerSpec, unknown>>;
  const out: ServerField[] = [];
  if (typeof s.command === 'string') out.push({ where: 'server.command', text: s.command });
  if (Array.isArray(s.args)) s.args.forEach((a, i) => typeof a === 'string' && out.push({ where: `server.args[${i}]`, text: a }));
  if (typeof s.env === 'object' && s.env !== null && !Array.isArray(s.env)) {
    for (const [k, v] of Object.entries(s.env)) if (typeof v === 'string') out.push({ where: `server.env.${k}`, text: v });
  }
  if (typeof s.cwd === 'string') out.push({ where: 'server.cwd', text: s.cwd });
  return out;
}

/** A file or folder of the plugin that the server block names as `${pluginDir}/<path>`. */
export interface ServerFileRef {
  where: string;
  /** The path after `${pluginDir}/`, as written (may hold `..`: the caller refuses it). */
  path: string;
}

// The path runs to the end of the string or a character that cannot end a path in an argument (`--x=${pluginDir}/a,b`).
const PLUGIN_DIR_PATH = /\$\{pluginDir\}\/([^\s,;:"'$]+)/g;

/** The `${pluginDir}/…` paths a server block refers to: what must exist in (and ship with) the folder. */
export function pluginDirPaths(spec: unknown): ServerFileRef[] {
  const out: ServerFileRef[] = [];
  for (const f of serverFields(spec)) {
    for (const m of f.text.matchAll(PLUGIN_DIR_PATH)) out.push({ where: f.where, path: m[1]!.replace(/\/+$/, '') });
  }
  return out.filter((r) => r.path !== '');
}
