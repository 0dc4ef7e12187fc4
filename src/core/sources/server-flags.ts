import { isAbsolute, resolve } from 'node:path';
import { PmError } from '../errors.js';
import type { Permissions } from '../manifest/types.js';

/** The flags every server source shares (plugin-install npm:/pypi:, mcp-add). */
export interface ServerFlags {
  /** `KEY=VALUE`, repeatable; the value may use ${pluginDir}, ${dataDir}, ${config.KEY}, ${secret.NAME}. */
  env?: string[];
  /** Arguments appended to the server's own. */
  args?: string[];
  allowRead?: string[];
  allowWrite?: string[];
  allowNet?: string[];
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Turns `--env KEY=VALUE` flags into an env object; throws SERVER_ENV_INVALID on a malformed one. */
export function parseEnvFlags(list: string[] = []): Record<string, string> {
  const env: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    const key = eq < 0 ? item : item.slice(0, eq);
    if (eq < 0 || !ENV_NAME.test(key)) {
      throw new PmError('SERVER_ENV_INVALID', `--env "${item}" is not KEY=VALUE`, {
        hint: 'write --env KEY=VALUE; the name is letters, digits and _ and does not start with a digit', data: { env: item },
      });
    }
    env[key] = item.slice(eq + 1);
  }
  return env;
}

/** A path flag as the manifest holds it: `$DATA…` and `~/…` kept, anything else made absolute from the current folder. */
function pathGrant(p: string): string {
  if (p === '$DATA' || p.startsWith('$DATA/') || p === '~' || p.startsWith('~/') || isAbsolute(p)) return p;
  return resolve(p);
}

/** The manifest `permissions` the --allow-* flags ask for (only the keys given). */
export function permissionsFromFlags(f: ServerFlags): Permissions {
  const out: Permissions = {};
  const read = (f.allowRead ?? []).map(pathGrant);
  const write = (f.allowWrite ?? []).map(pathGrant);
  if (read.length || write.length) out.fs = { ...(read.length ? { read } : {}), ...(write.length ? { write } : {}) };
  if (f.allowNet?.length) out.network = [...f.allowNet];
  return out;
}
