import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manifestKind } from '../core/manifest/read.js';
import { serverFields } from '../core/manifest/server-paths.js';
import type { Manifest, ServerSpec } from '../core/manifest/types.js';
import { referencedSecrets } from '../core/server/substitute.js';
import type { EntryInspection } from '../core/validate/types.js';
import { DEFAULT_SUPERVISOR_OPTIONS } from './process/options.js';
import { ServerProcess } from './server/server-process.js';

const NOTHING = { tools: [], resources: [], hooks: [] };

/**
 * What `${config.KEY}` is while validating (no user configuration yet): the schema's default,
 * else empty, so a key the user must set does not stop the server from listing its tools.
 */
function configDefaults(m: Manifest): Record<string, unknown> {
  const props = (m.config as { properties?: Record<string, { default?: unknown }> } | undefined)?.properties ?? {};
  const used = serverFields(m.server).flatMap((f) => [...f.text.matchAll(/\$\{config\.([^}]+)\}/g)].map((x) => x[1]!));
  return Object.fromEntries([
    ...used.map((k) => [k, ''] as const),
    ...Object.entries(props).filter(([, p]) => p?.default !== undefined).map(([k, p]) => [k, p.default] as const),
  ]);
}

/**
 * Starts a server plugin from its folder as the validation check does (DESIGN §2): the host's
 * ServerProcess (initialize, every page of the lists), with the config defaults (empty for a
 * key without one) and empty secrets (none is set for a folder under test), in a temporary
 * data folder; then stops it.
 * Never throws: a server that does not start is `loaded: false` with the reason.
 */
export async function inspectServer(dir: string, manifest: Manifest, options: { timeoutMs?: number } = {}): Promise<EntryInspection> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pm-inspect-'));
  const stderr: string[] = [];
  const secrets = Object.fromEntries(referencedSecrets(manifest.server as ServerSpec).map((n) => [n, '']));
  const proc = new ServerProcess(
    { name: manifest.name, kind: manifestKind(manifest), dir, dataDir, manifest, config: configDefaults(manifest), secrets },
    { ...DEFAULT_SUPERVISOR_OPTIONS, startTimeoutMs: options.timeoutMs ?? 10_000, callTimeoutMs: options.timeoutMs ?? 10_000, idleTimeoutMs: 0, maxCrashes: 1, graceMs: 500 },
    { log: (_p, level, message) => { if (level === 'stderr') stderr.push(message); } },
  );
  try {
    const cat = await proc.catalog();
    const tools = cat.tools.map((t) => ({ name: t.name, ...(t.description !== undefined ? { description: t.description } : {}), inputSchema: t.inputSchema }));
    return { loaded: true, missing: NOTHING, undeclared: NOTHING, tools };
  } catch (err) {
    const message = (err as Error).message;
    const last = stderr.map((l) => l.trim()).filter(Boolean).pop();
    return { loaded: false, error: message + (last && !message.includes(last) ? ` (stderr: ${last})` : ''), missing: NOTHING, undeclared: NOTHING };
  } finally {
    await proc.stop().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
  }
}
