import { realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { readRegularText } from '../fs/read-regular-file.js';
import { clientConfigPath, clientFormat, type ClientFormat } from './clients.js';
import { parseServersDoc, type ServersDoc } from './servers-doc.js';

/** A client's config file as read: where it is (links followed), its text and mode, and its servers. */
export interface ClientConfig {
  fmt: ClientFormat;
  /** The file named by --config or the client's default location. */
  path: string;
  /** The file written: `path` with symbolic links followed, so a linked dotfile stays linked. */
  target: string;
  exists: boolean;
  text: string;
  mode?: number;
  doc: ServersDoc;
}

/** Reads and parses `client`'s config (`config` or its default path); a missing file reads as empty. */
export async function readClientConfig(client: string, options: { config?: string; env?: NodeJS.ProcessEnv; platform?: NodeJS.Platform; userHome?: string } = {}): Promise<ClientConfig> {
  const fmt = clientFormat(client);
  const path = options.config ? resolve(options.config) : clientConfigPath(fmt.client, { env: options.env, platform: options.platform, home: options.userHome });
  const target = await realpath(path).catch(() => path);
  let text = '';
  let mode: number | undefined;
  let exists = false;
  try {
    // A client's config may be large (chat history in ~/.claude.json), never endless: a FIFO or device is refused.
    text = await readRegularText(target, { what: 'the client config', maxBytes: 256 * 1024 * 1024 });
    mode = (await stat(target)).mode & 0o777;
    exists = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return { fmt, path, target, exists, text, mode, doc: parseServersDoc(text, fmt, path) };
}
