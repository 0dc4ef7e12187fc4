import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isPmError } from '../errors.js';
import { storePaths } from './paths.js';
import { readState, type StoreState } from './state.js';
import { readPluginManifestJson } from '../manifest/read.js';

/** One inconsistency in the store. */
export interface StoreProblem {
  code: string;
  message: string;
  /** 'fail': the store disagrees with itself; 'warn': leftovers the next change cleans up. */
  severity: 'fail' | 'warn';
}

export interface StoreCheck {
  ok: boolean;
  plugins: number;
  problems: StoreProblem[];
}

/** Checks that state.json parses and agrees with plugins/ (and linked folders); changes nothing. */
export async function checkStore(home: string): Promise<StoreCheck> {
  const p = storePaths(home);
  const problems: StoreProblem[] = [];
  let state: StoreState;
  try {
    state = await readState(home);
  } catch (err) {
    return { ok: false, plugins: 0, problems: [{ code: isPmError(err) ? err.code : 'STATE_UNREADABLE', message: (err as Error).message, severity: 'fail' }] };
  }
  const onDisk = new Set(await readdir(p.plugins).catch(() => [] as string[]));
  for (const rec of Object.values(state.plugins)) {
    if (rec.linked) {
      const s = await stat(rec.linked).catch(() => undefined);
      if (!s?.isDirectory()) problems.push({ code: 'LINK_MISSING', message: `${rec.name} is linked to ${rec.linked}, which no longer exists`, severity: 'fail' });
      if (onDisk.has(rec.name)) problems.push({ code: 'LINK_SHADOWED', message: `${rec.name} is linked but plugins/${rec.name} also exists`, severity: 'fail' });
      onDisk.delete(rec.name);
      continue;
    }
    if (!onDisk.has(rec.name)) {
      problems.push({ code: 'PLUGIN_MISSING', message: `state.json lists ${rec.name}@${rec.version} but plugins/${rec.name} is missing`, severity: 'fail' });
      continue;
    }
    onDisk.delete(rec.name);
    try {
      const m = await readPluginManifestJson(join(p.plugins, rec.name)) as { name?: unknown; version?: unknown } | null;
      if (m?.name !== rec.name || m?.version !== rec.version) {
        problems.push({ code: 'PLUGIN_MISMATCH', message: `plugins/${rec.name} holds ${String(m?.name)}@${String(m?.version)}, but state.json says ${rec.name}@${rec.version}`, severity: 'fail' });
      }
    } catch (err) {
      problems.push({ code: 'PLUGIN_MANIFEST_UNREADABLE', message: `plugins/${rec.name}/plugin.json cannot be read: ${(err as Error).message}`, severity: 'fail' });
    }
  }
  for (const orphan of onDisk) {
    problems.push({ code: 'PLUGIN_ORPHAN', message: `plugins/${orphan} is not in state.json`, severity: 'fail' });
  }
  if (await stat(p.journal).catch(() => undefined)) {
    problems.push({ code: 'CHANGE_INTERRUPTED', message: 'an interrupted change waits to be recovered (journal.json)', severity: 'warn' });
  }
  for (const dir of ['staging', 'trash'] as const) {
    if ((await readdir(p[dir]).catch(() => [])).length) problems.push({ code: 'LEFTOVERS', message: `${dir}/ holds leftovers of an interrupted change`, severity: 'warn' });
  }
  return { ok: problems.every((x) => x.severity !== 'fail'), plugins: Object.keys(state.plugins).length, problems };
}
