import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manifestKind } from '../core/manifest/read.js';
import type { Manifest } from '../core/manifest/types.js';
import type { EntryInspection } from '../core/validate/types.js';
import { DEFAULT_SUPERVISOR_OPTIONS } from './process/options.js';
import { PluginProcess } from './process/plugin-process.js';

export type { EntryInspection };

const diff = (a: string[], b: string[]) => a.filter((x) => !b.includes(x)).sort();

/**
 * Loads a plugin's entry in the same sandbox the host uses (without calling activate)
 * and compares what it implements with what its manifest declares (DESIGN §2); a server
 * plugin is started instead and reports its tools.
 */
export async function inspectEntry(dir: string, manifest: Manifest, options: { timeoutMs?: number } = {}): Promise<EntryInspection> {
  // A server plugin has no entry: starting it and listing its tools is its inspection.
  if (manifestKind(manifest) === 'server') return (await import('./inspect-server.js')).inspectServer(dir, manifest, options);
  const dataDir = await mkdtemp(join(tmpdir(), 'pm-inspect-'));
  const logs: string[] = [];
  const proc = new PluginProcess(
    { name: manifest.name, kind: manifestKind(manifest), dir, dataDir, manifest, config: {} },
    { ...DEFAULT_SUPERVISOR_OPTIONS, startTimeoutMs: options.timeoutMs ?? 10_000, idleTimeoutMs: 0, maxCrashes: 1000, env: {} },
    {
      callTool: async () => { throw new Error('not available while inspecting'); },
      emit: async () => {},
      log: (_p, level, message) => { if (level === 'stderr') logs.push(message); },
    },
  );
  const empty = { tools: [], resources: [], hooks: [] };
  try {
    const got = await proc.inspect();
    const c = manifest.contributes ?? {};
    const declared = {
      tools: (c.tools ?? []).map((t) => t.name),
      resources: (c.resources ?? []).map((r) => r.uri),
      hooks: [...new Set((c.hooks ?? []).map((h) => h.event))],
    };
    return {
      loaded: true,
      missing: { tools: diff(declared.tools, got.tools), resources: diff(declared.resources, got.resources), hooks: diff(declared.hooks, got.hooks) },
      undeclared: { tools: diff(got.tools, declared.tools), resources: diff(got.resources, declared.resources), hooks: diff(got.hooks, declared.hooks) },
    };
  } catch (err) {
    const detail = logs.find((l) => /Error|denied/i.test(l));
    return { loaded: false, error: (err as Error).message + (detail ? ` (${detail.trim()})` : ''), missing: empty, undeclared: empty };
  } finally {
    await proc.dispose('inspection finished');
    await rm(dataDir, { recursive: true, force: true });
  }
}
