import { execa } from 'execa';
import { createServer, type Server } from 'node:http';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from './pm.js';

/** A package folder among the npm fixtures (test/fixtures/npm-packages/<name>). */
export const npmFixture = (name: string) => join(repoRoot, 'test', 'fixtures', 'npm-packages', name);

/** Packs a package folder with the real `npm pack` into `outDir`, at `version` when given; returns the .tgz path and its integrity. */
export async function npmPack(dir: string, outDir: string, version?: string): Promise<{ file: string; integrity: string; name: string; version: string; manifest: Record<string, unknown> }> {
  const work = join(outDir, `src-${Math.random().toString(36).slice(2)}`);
  await cp(dir, work, { recursive: true });
  const manifest = JSON.parse(await readFile(join(work, 'package.json'), 'utf8')) as Record<string, unknown>;
  if (version) {
    manifest.version = version;
    await writeFile(join(work, 'package.json'), JSON.stringify(manifest, null, 2));
  }
  await mkdir(outDir, { recursive: true });
  const r = await execa('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', outDir], { cwd: work, env: { npm_config_update_notifier: 'false' } });
  const [info] = JSON.parse(r.stdout) as { filename: string; integrity: string; name: string; version: string }[];
  return { file: join(outDir, info!.filename), integrity: info!.integrity, name: info!.name, version: info!.version, manifest };
}

/** A real npm registry on 127.0.0.1 serving packuments and tarballs, plus the environment that points npm at it. */
export interface NpmRegistry {
  url: string;
  /** npm_config_* for pm's child npm: this registry, a private cache, no user .npmrc. */
  env: Record<string, string>;
  /** Packs `dir` (at `version`) and publishes it. */
  publish(dir: string, version?: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts a minimal npm registry (GET /<name> → packument, GET /-/t/<file> → tarball) under `root`. */
export async function startNpmRegistry(root: string): Promise<NpmRegistry> {
  const packuments = new Map<string, { name: string; 'dist-tags': { latest: string }; versions: Record<string, unknown> }>();
  const tarballs = new Map<string, Buffer>();
  let url = '';
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!.slice(1));
    const tgz = path.startsWith('-/t/') ? tarballs.get(path.slice(4)) : undefined;
    const doc = packuments.get(path);
    if (tgz) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': tgz.length }).end(tgz);
    } else if (doc) {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(doc));
    } else {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  await mkdir(join(root, 'cache'), { recursive: true });
  await writeFile(join(root, 'npmrc'), '');
  return {
    url,
    env: {
      npm_config_registry: url, npm_config_cache: join(root, 'cache'), npm_config_userconfig: join(root, 'npmrc'),
      npm_config_update_notifier: 'false', npm_config_audit: 'false', npm_config_fund: 'false',
    },
    async publish(dir, version) {
      const p = await npmPack(dir, join(root, 'tarballs'), version);
      const file = p.file.slice(p.file.lastIndexOf('/') + 1);
      tarballs.set(file, await readFile(p.file));
      const doc = packuments.get(p.name) ?? { name: p.name, 'dist-tags': { latest: p.version }, versions: {} };
      doc.versions[p.version] = { ...p.manifest, name: p.name, version: p.version, dist: { tarball: `${url}-/t/${file}`, integrity: p.integrity } };
      doc['dist-tags'].latest = p.version;
      packuments.set(p.name, doc);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
