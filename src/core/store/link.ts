import { resolve } from 'node:path';
import { stat } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PmError } from '../errors.js';
import { findEscapingLink } from '../fs/escaping-links.js';
import { checkEngines, currentEngines } from '../resolve/engines.js';
import { checkDependencies } from '../resolve/dependencies.js';
import { appendAudit } from './audit.js';
import { announceStoreChange } from './events.js';
import { withStoreLock } from './lock.js';
import { readPluginManifest } from '../manifest/read.js';
import { storePaths } from './paths.js';
import { readState, type StoreState } from './state.js';
import { commitChange, newTxId, recoverStore } from './transaction.js';

export interface LinkResult {
  name: string;
  version: string;
  path: string;
  enabled: boolean;
  /** The version it replaced, if one was installed. */
  previousVersion: string | null;
}

/** Records a development folder in place (no copy), replacing any installed copy of the plugin. */
export async function linkPlugin(dir: string, opts: { home: string; enable?: boolean; lockTimeoutMs?: number }): Promise<LinkResult> {
  const path = resolve(dir);
  const s = await stat(path).catch(() => undefined);
  if (!s?.isDirectory()) {
    throw new PmError('SOURCE_NOT_FOUND', `${dir} is not a folder`, { hint: 'give the plugin\'s development folder (the one holding plugin.json)', data: { path } });
  }
  // Node follows links inside the granted plugin folder, so one leading out would widen the grant (issue 13.6).
  const escaping = await findEscapingLink(path);
  if (escaping) {
    throw new PmError('LINK_ESCAPES_FOLDER', `refused ${path}: ${escaping.path} is a symbolic link to ${escaping.target}, outside the plugin folder; the plugin could read it through the link`, {
      hint: 'replace the link with the files it points to, or move them into the plugin folder (plugin-install of a folder refuses links too)',
      data: { path, link: escaping.path, target: escaping.target },
    });
  }
  const r = await withStoreLock(opts.home, async (): Promise<LinkResult> => {
    await recoverStore(opts.home);
    const { manifest } = await readPluginManifest(path);
    checkEngines(manifest, currentEngines());
    const state = await readState(opts.home);
    checkDependencies([{ name: manifest.name, version: manifest.version, dependencies: manifest.dependencies ?? {} }],
      Object.values(state.plugins).map((p) => ({ name: p.name, version: p.version, dependencies: p.dependencies ?? {} })));
    const prev = state.plugins[manifest.name];
    const now = new Date().toISOString();
    const enabled = prev ? prev.enabled : opts.enable ?? true;
    const next: StoreState = {
      ...state,
      plugins: {
        ...state.plugins,
        [manifest.name]: {
          name: manifest.name, version: manifest.version, integrity: null, source: { type: 'link', path }, signer: null, enabled,
          installedAt: prev?.installedAt ?? now, updatedAt: now, linked: path, size: 0,
          dependencies: manifest.dependencies ?? {}, config: prev?.config ?? {},
        },
      },
    };
    await mkdir(join(storePaths(opts.home).data, manifest.name), { recursive: true });
    // Any installed copy under plugins/ is moved aside and dropped with the commit.
    await commitChange(opts.home, newTxId(), next, [{ name: manifest.name }]);
    await appendAudit(opts.home, { action: 'link', plugin: manifest.name, version: manifest.version, integrity: null, signer: 'unsigned', path });
    return { name: manifest.name, version: manifest.version, path, enabled, previousVersion: prev?.version ?? null };
  }, { timeoutMs: opts.lockTimeoutMs });
  await announceStoreChange(opts.home, 'link', { name: r.name, version: r.version, previousVersion: r.previousVersion });
  return r;
}
