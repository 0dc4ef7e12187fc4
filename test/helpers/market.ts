import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { repoRoot } from './pm.js';

export const marketFixtures = join(repoRoot, 'test', 'fixtures', 'market-plugins');

/** Copies a fixture plugin, sets its version (and optionally dependencies, engines, extra manifest fields), packs and signs it into `outDir`. */
export async function makeSignedPackage(home: string, work: string, outDir: string, fixture: string, version: string,
  patch: Record<string, unknown> = {}, opts: { key?: string; unsigned?: boolean } = {}): Promise<{ tgz: string; prov?: string }> {
  const { packPlugin } = await import('../../src/core/pack/index.js');
  const { inspectEntry } = await import('../../src/host/inspect-entry.js');
  const { signPackage } = await import('../../src/core/sign/index.js');
  const dir = join(work, `${fixture}-${version}-${Math.random().toString(36).slice(2, 8)}`);
  await cp(join(marketFixtures, fixture), dir, { recursive: true });
  const m = JSON.parse(await readFile(join(dir, 'plugin.json'), 'utf8'));
  Object.assign(m, patch, { version });
  await writeFile(join(dir, 'plugin.json'), JSON.stringify(m, null, 2));
  await mkdir(outDir, { recursive: true });
  const { file } = await packPlugin(dir, { outDir, inspectEntry });
  if (opts.unsigned) return { tgz: file };
  const { provPath } = await signPackage(file, { home, key: opts.key });
  return { tgz: file, prov: provPath };
}

/** A fresh PM_HOME with one generated own key; returns its fingerprint. */
export async function homeWithKey(home: string, name = 'Publisher'): Promise<string> {
  const { openKeyring } = await import('../../src/core/sign/index.js');
  return (await openKeyring(home).generate({ name })).fingerprint;
}

/** What the static test server does for one request; return true when handled. */
export type Override = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/**
 * A real static file server on 127.0.0.1 serving `root`, with ETag / Last-Modified and 304s
 * like any web server; `override` lets a test play an attacker for some paths.
 */
export async function serveStatic(root: string): Promise<{ url: string; server: Server; requests: string[]; setOverride(o?: Override): void; close(): Promise<void> }> {
  let override: Override | undefined;
  const requests: string[] = [];
  const server = createServer(async (req, res) => {
    requests.push(`${req.method} ${req.url} ${req.headers['if-none-match'] ? 'conditional' : ''}`.trim());
    if (override && (await override(req, res))) return;
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]));
    if (path.includes('..')) { res.writeHead(400); res.end(); return; }
    try {
      const { stat } = await import('node:fs/promises');
      const file = join(root, path);
      const st = await stat(file);
      const etag = `"${st.size}-${Math.floor(st.mtimeMs)}"`;
      if (req.headers['if-none-match'] === etag) { res.writeHead(304, { etag }); res.end(); return; }
      const body = await readFile(file);
      res.writeHead(200, { etag, 'last-modified': st.mtime.toUTCString(), 'content-length': body.length });
      res.end(body);
    } catch {
      res.writeHead(404); res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url, server, requests,
    setOverride(o) { override = o; },
    close: async () => { server.closeAllConnections(); await new Promise((r) => server.close(r)); },
  };
}
