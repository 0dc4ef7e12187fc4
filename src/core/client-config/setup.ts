import { constants } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import { PmError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { resolveHome } from '../home.js';
import { looksLikePm } from './check-entry.js';
import type { ClientFormat } from './clients.js';
import { pmScriptPath } from './entry.js';
import { readClientConfig } from './read-config.js';
import type { RawServer } from './servers-doc.js';

export interface ClientSetupOptions {
  /** The PM_HOME the entry serves; `--home` is written only when it is not ~/.pm. */
  home: string;
  /** --config: this file instead of the client's default one. */
  config?: string;
  /** --name: the entry's name (default `pm`). */
  name?: string;
  /** --profile: passed through to `pm serve --mcp`. */
  profile?: string;
  /** --remove: take pm's entry out instead. */
  remove?: boolean;
  /** --print: work out the new text, write nothing. */
  print?: boolean;
  nodePath?: string;
  pmScript?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** The user's home folder, where the clients' default files are. */
  userHome?: string;
}

export interface ClientSetupResult {
  client: string;
  path: string;
  name: string;
  action: 'added' | 'updated' | 'unchanged' | 'removed' | 'absent';
  /** Whether the file was written (false under --print and when nothing changed). */
  written: boolean;
  /** The copy of the file taken before the change. */
  backup?: string;
  /** The entry as written (not for --remove). */
  entry?: RawServer;
  /** The file's whole text after the change (what --print shows). */
  text: string;
}

/** The entry that starts this pm from `fmt`'s client: absolute node, absolute bin/pm.js, `serve --mcp`. */
export function setupEntry(fmt: ClientFormat, o: Pick<ClientSetupOptions, 'home' | 'profile' | 'nodePath' | 'pmScript'>): RawServer {
  const args = [o.pmScript ?? pmScriptPath(), 'serve', '--mcp'];
  if (o.home !== resolveHome(undefined, {})) args.push('--home', o.home);
  if (o.profile !== undefined) args.push('--profile', o.profile);
  return { ...(fmt.stdioType ? { type: 'stdio' } : {}), command: o.nodePath ?? process.execPath, args };
}

/** Copies `file` next to itself as `<file>.pm-backup-<UTC time>`, never over an earlier backup. */
export async function backupFile(file: string, now = new Date()): Promise<string> {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '');
  for (let n = 0; ; n++) {
    const backup = `${file}.pm-backup-${stamp}${n ? `-${n}` : ''}`;
    try {
      await copyFile(file, backup, constants.COPYFILE_EXCL);
      return backup;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/**
 * `pm client-setup <client>`: writes (or with `remove` takes out) pm's entry in the client's MCP
 * config, leaving every other server and key as it was; a backup is taken before any change,
 * the write is atomic, and a run that would change nothing writes nothing.
 */
export async function setupClient(client: string, o: ClientSetupOptions): Promise<ClientSetupResult> {
  const cfg = await readClientConfig(client, { config: o.config, env: o.env, platform: o.platform, userHome: o.userHome });
  const name = o.name ?? 'pm';
  const existing = cfg.doc.servers[name];
  if (existing !== undefined && !looksLikePm('', existing)) {
    throw new PmError('CLIENT_ENTRY_TAKEN', `${cfg.path} already has a server named "${name}" that does not start pm; it was left untouched`, { hint: 'pick another entry name with --name', data: { path: cfg.path, name } });
  }
  const base = { client: cfg.fmt.client, path: cfg.path, name };
  let next: string;
  let action: ClientSetupResult['action'];
  let entry: RawServer | undefined;
  if (o.remove) {
    if (existing === undefined) return { ...base, action: 'absent', written: false, text: cfg.text };
    next = cfg.doc.remove(name);
    action = 'removed';
  } else {
    entry = setupEntry(cfg.fmt, o);
    if (existing !== undefined && isDeepStrictEqual(JSON.parse(JSON.stringify(existing)), entry)) return { ...base, action: 'unchanged', written: false, entry, text: cfg.text };
    next = cfg.doc.set(name, entry);
    action = existing === undefined ? 'added' : 'updated';
  }
  if (o.print) return { ...base, action, written: false, entry, text: next };
  const backup = cfg.exists ? await backupFile(cfg.target) : undefined;
  // A new file may come to hold tokens in other servers' env: readable by its owner only.
  await writeFileAtomic(cfg.target, next, { mode: cfg.mode ?? 0o600 });
  return { ...base, action, written: true, backup, entry, text: next };
}
