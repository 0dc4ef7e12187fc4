import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostPlugin } from '../../src/host/manifest-types.js';
import { repoRoot } from './pm.js';

export const fixturesDir = join(repoRoot, 'test', 'fixtures');

/** A fixture folder as a HostPlugin whose data folder lies under `dataRoot`. */
export function fixturePlugin(folder: string, dataRoot: string, extra: Partial<HostPlugin> = {}): HostPlugin {
  const dir = join(fixturesDir, folder);
  const manifest = JSON.parse(readFileSync(join(dir, 'plugin.json'), 'utf8')) as HostPlugin['manifest'];
  return { name: manifest.name, kind: 'module', dir, dataDir: join(dataRoot, 'data', manifest.name), manifest, config: {}, enabled: true, ...extra };
}

/** Polls `fn` until it is truthy (bounded); for waiting on another process, never for timing. */
export async function eventually<T>(fn: () => T | Promise<T>, what: string, limitMs = 15_000): Promise<T> {
  const end = Date.now() + limitMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
