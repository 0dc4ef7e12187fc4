import { PmError } from '../errors.js';
import { parseUntrustedJson } from '../json/parse-untrusted.js';
import { fetchBytes, type FetchOptions } from '../net/fetch-bytes.js';
import type { ServerJson } from './server-json.js';

/** Which server.json to read: a registry entry or a file. */
export type ServerJsonRef = { name: string; version?: string; registryUrl: string } | { file: string };

const MAX_SERVER_JSON_BYTES = 1024 * 1024;

/** The registry API URL of one server version (`latest` when no version is asked for). */
export function serverVersionUrl(registryUrl: string, name: string, version?: string): string {
  const base = registryUrl.replace(/\/+$/, '');
  return `${base}/v0/servers/${encodeURIComponent(name)}/versions/${encodeURIComponent(version ?? 'latest')}`;
}

/** A registry answer or a file as a server.json: `{server: {...}}` (the v0 API) or the document itself. */
export function toServerJson(raw: unknown, where: string): ServerJson {
  const doc = raw && typeof raw === 'object' && 'server' in raw ? (raw as { server: unknown }).server : raw;
  const o = doc as Partial<ServerJson> | null;
  if (!o || typeof o !== 'object' || typeof o.name !== 'string' || typeof o.version !== 'string' || (o.packages !== undefined && !Array.isArray(o.packages))) {
    throw new PmError('REGISTRY_SERVER_INVALID', `${where} is not a server.json (it needs a string name and version, and packages as a list)`, {
      hint: 'check the registry URL and the server name', data: { where },
    });
  }
  return o as ServerJson;
}

/** Reads a server.json from a registry's `/v0/servers/{name}/versions/{version}` or from a file, bounded and strictly parsed. */
export async function readServerJson(ref: ServerJsonRef, opts: FetchOptions = {}): Promise<{ serverJson: ServerJson; from: string }> {
  const from = 'file' in ref ? ref.file : serverVersionUrl(ref.registryUrl, ref.name, ref.version);
  let bytes: Uint8Array;
  try {
    const r = await fetchBytes(from, { maxBytes: MAX_SERVER_JSON_BYTES, ...opts });
    if (r.status !== 'ok') throw new Error('not modified');
    bytes = r.body;
  } catch (err) {
    const what = 'file' in ref ? ref.file : `${ref.name}${ref.version ? `@${ref.version}` : ''} at ${ref.registryUrl}`;
    throw new PmError('REGISTRY_SERVER_NOT_FOUND', `could not read the server.json of ${what}: ${(err as Error).message}`, {
      hint: 'file' in ref ? 'give the path of a server.json' : "check the name (pm uses the registry's /v0/servers/{name}/versions/{version}) and --registry-url",
      data: { from },
    });
  }
  let raw: unknown;
  try {
    raw = parseUntrustedJson(bytes, { what: 'server.json', maxBytes: MAX_SERVER_JSON_BYTES });
  } catch (err) {
    throw new PmError('REGISTRY_SERVER_INVALID', `${from} is not valid JSON (${(err as Error).message})`, { hint: 'check the registry URL', data: { from } });
  }
  const serverJson = toServerJson(raw, from);
  if (!('file' in ref) && serverJson.name !== ref.name) {
    throw new PmError('REGISTRY_SERVER_INVALID', `${from} describes ${serverJson.name}, not ${ref.name}`, { hint: 'the registry answered for another server; do not use it', data: { from, name: serverJson.name } });
  }
  return { serverJson, from };
}
