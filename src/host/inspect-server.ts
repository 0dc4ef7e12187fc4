import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manifestKind } from '../core/manifest/read.js';
import type { Manifest, ServerSpec } from '../core/manifest/types.js';
import { referencedSecrets } from '../core/server/substitute.js';
import type { EntryInspection } from '../core/validate/types.js';
import { DEFAULT_SUPERVISOR_OPTIONS } from './process/options.js';
import { ServerProcess } from './server/server-process.js';

const NOTHING = { tools: [], resources: [], hooks: [] };

/** The config schema's defaults: what `${config.KEY}` is while validating (no user configuration yet). */
function configDefaults(m: Manifest): Record<string, unknown> {
  const props = (m.config as { properties?: Record<string, { default?: unknown }> } | undefined)?.properties ?? {};
  return Object.fromEntries(Object.entries(props).filter(([, p]) => p?.default !== undefined).map(([k, p]) => [k, p.default]));
}

/**
 * Starts a server plugin from its folder as the validation check does (DESIGN §2): the host's
 * ServerProcess (initialize, every page of the lists), with the config defaults and empty
 * secrets (none is set for a folder under test), in a temporary data folder; then stops it.
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
