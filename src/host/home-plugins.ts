import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PmError } from '../core/errors.js';
import type { HostManifest, HostPlugin } from './manifest-types.js';

interface StateEntry {
  version?: string;
  enabled?: boolean;
  config?: Record<string, unknown>;
}

/**
 * The installed plugins of PM_HOME as the host runs them: state.json's entries with
 * their manifests, folders (plugins/<name>) and data folders (data/<name>).
 */
export async function loadHomePlugins(home: string): Promise<HostPlugin[]> {
  let raw: string;
  try {
    raw = await readFile(join(home, 'state.json'), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  let state: { plugins?: Record<string, StateEntry> };
  try {
    state = JSON.parse(raw) as { plugins?: Record<string, StateEntry> };
  } catch (err) {
    throw new PmError('STATE_CORRUPT', `${join(home, 'state.json')} is not valid JSON: ${(err as Error).message}`, { hint: 'restore it from a backup or reinstall the plugins' });
  }
  const out: HostPlugin[] = [];
  for (const [name, entry] of Object.entries(state.plugins ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const dir = join(home, 'plugins', name);
    let manifest: HostManifest;
    try {
      manifest = JSON.parse(await readFile(join(dir, 'plugin.json'), 'utf8')) as HostManifest;
    } catch (err) {
      throw new PmError('PLUGIN_MANIFEST_UNREADABLE', `installed plugin ${name} has no readable plugin.json: ${(err as Error).message}`, { hint: `reinstall it: pm plugin-install … (or pm plugin-uninstall ${name})` });
    }
    out.push({ name, dir, dataDir: join(home, 'data', name), manifest, config: entry.config ?? {}, enabled: entry.enabled !== false });
  }
  return out;
}
