import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildRegistry } from '../../src/core/registry/build.js';
import { homeWithKey, makeSignedPackage, serveStatic } from '../helpers/market.js';
import { pm, tempDir } from '../helpers/pm.js';
import { runPmOnPty } from '../helpers/pty.js';
import { execFileSync } from 'node:child_process';

// Issue 21.4: each registry fails alone. Two real HTTP servers on 127.0.0.1; "acme" is closed
// after it was added, so its port refuses connections while "main" keeps answering.
const tmp = await tempDir('pm-market-unreachable-');
const pub = join(tmp.dir, 'publisher');
const work = join(tmp.dir, 'work');
const cachedHome = join(tmp.dir, 'cached');
const uncachedHome = join(tmp.dir, 'uncached');
let main: Awaited<ReturnType<typeof serveStatic>>;
let acmeUrl: string;

/** Makes a registry of `home` look never fetched: no cached index, no trusted state. */
async function forget(home: string, reg: string): Promise<void> {
  await rm(join(home, 'cache', 'registries', reg), { recursive: true, force: true });
  await rm(join(home, 'registries', `${reg}.json`), { force: true });
}

beforeAll(async () => {
  await homeWithKey(pub);
  const mainPkgs = join(tmp.dir, 'pkgs-main');
  await makeSignedPackage(pub, work, mainPkgs, 'storage', '1.0.0');
  await makeSignedPackage(pub, work, mainPkgs, 'notes', '1.0.0');
  await buildRegistry(mainPkgs, { out: join(tmp.dir, 'site-main'), home: pub, name: 'main' });
  const acmePkgs = join(tmp.dir, 'pkgs-acme');
  await makeSignedPackage(pub, work, acmePkgs, 'storage', '1.1.0');
  await buildRegistry(acmePkgs, { out: join(tmp.dir, 'site-acme'), home: pub, name: 'acme' });
  main = await serveStatic(join(tmp.dir, 'site-main'));
  const acme = await serveStatic(join(tmp.dir, 'site-acme'));
  acmeUrl = acme.url;
  for (const home of [cachedHome, uncachedHome]) {
    for (const [name, url] of [['main', main.url], ['acme', acme.url]]) {
      const r = await pm(['marketplace-add', name, url, '--key', join(tmp.dir, `site-${name}`, 'key.asc'), '--home', home]);
      expect(r.exitCode).toBe(0);
    }
  }
  await forget(uncachedHome, 'acme');
  await acme.close(); // from now on acme's port refuses connections
});
afterAll(async () => {
  await main?.close();
  await tmp.cleanup();
});

const cacheWarning = /^warning: registry acme unreachable \(connection refused\); using its cache from \d+ s ago$/m;

describe('one unreachable registry does not block the others', () => {
  it('searches the reachable registry and the cache of the unreachable one, with a warning (exit 0)', async () => {
    const r = await pm(['marketplace-search', 'storage', '--home', cachedHome]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('storage@1.0.0  [main]');
    expect(r.stdout).toContain('storage@1.1.0  [acme]');
    expect(r.stderr).toMatch(cacheWarning);
    const j = JSON.parse((await pm(['marketplace-search', 'storage', '--json', '--home', cachedHome])).stdout);
    expect(j.registries).toEqual([
      expect.objectContaining({ name: 'main', from: 'unchanged' }),
      expect.objectContaining({ name: 'acme', from: 'cache' }),
    ]);
    expect(j.warnings).toEqual([expect.stringMatching(/^registry acme unreachable \(connection refused\); using its cache from/)]);
  });

  it('shows marketplace-info of the unreachable registry from its cache (exit 0)', async () => {
    const r = await pm(['marketplace-info', 'storage', '--registry', 'acme', '--home', cachedHome]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('storage@1.1.0  [acme]');
    expect(r.stderr).toMatch(cacheWarning);
  });

  it('installs with --registry main without touching acme (no warning, exit 0)', async () => {
    const r = await pm(['marketplace-install', 'notes', '--registry', 'main', '--home', cachedHome]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('installed notes@1.0.0 from main');
    expect(r.stdout).toContain('installed storage@1.0.0 from main (dependency of notes@1.0.0)');
  });

  it('installs from the cached index when the index request fails with 503 but packages still download', async () => {
    const home = join(tmp.dir, 'cached-503');
    await cp(cachedHome, home, { recursive: true });
    await rm(join(home, 'plugins'), { recursive: true, force: true });
    await rm(join(home, 'state.json'), { force: true });
    main.setOverride((req, res) => {
      if (req.url !== '/index.json') return false;
      res.writeHead(503); res.end();
      return true;
    });
    try {
      const r = await pm(['marketplace-install', 'notes', '--registry', 'main', '--home', home]);
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toMatch(/^warning: registry main unreachable \(HTTP 503\); using its cache from \d+ s ago$/m);
      expect(r.stdout).toContain('installed notes@1.0.0 from main');
    } finally {
      main.setOverride(undefined);
    }
  });

  it('goes on without a never-cached unreachable registry, and says so (exit 0)', async () => {
    const r = await pm(['marketplace-search', 'storage', '--home', uncachedHome]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('storage@1.0.0  [main]  Key-value storage for other plugins');
    expect(r.stderr).toBe('warning: registry acme unreachable (connection refused) and it has no cached index; going on without it\n'.trimEnd());
  });

  it('fails --registry of a never-cached unreachable registry with a hint that does not suggest --offline (exit 1)', async () => {
    const r = await pm(['marketplace-info', 'storage', '--registry', 'acme', '--home', uncachedHome]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: cannot reach ${acmeUrl}index.json`);
    expect(r.stderr).toContain('hint: check your network and the registry URL (pm marketplace-list); there is no cached index to fall back on');
    expect(r.stderr).not.toContain('--offline');
  });

  it('fails when no registry answers and none is cached (exit 1, nothing written)', async () => {
    const home = join(tmp.dir, 'all-down');
    await cp(uncachedHome, home, { recursive: true });
    await forget(home, 'main');
    const cfgPath = join(home, 'config.json');
    const cfg = JSON.parse(await readFile(cfgPath, 'utf8'));
    cfg.registries.main.url = acmeUrl; // also a closed port
    await writeFile(cfgPath, JSON.stringify(cfg));
    const r = await pm(['marketplace-search', 'notes', '--home', home]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error: no registry could be reached: main (connection refused), acme (connection refused)');
    expect(r.stderr).toContain('hint: check your network and the registry URLs (pm marketplace-list)');
    expect(r.stderr).not.toContain('--offline');
    const j = JSON.parse((await pm(['marketplace-search', 'notes', '--json', '--home', home])).stdout);
    expect(j.error.code).toBe('REGISTRIES_UNREACHABLE');
    await expect(readFile(join(home, 'registries', 'main.json'))).rejects.toThrow(/ENOENT/);
  });
});

describe('long waits without a terminal', () => {
  it('prints nothing extra on stderr while a slow index arrives (no spinner when stderr is not a TTY)', async () => {
    main.setOverride(async (req) => {
      if (req.url === '/index.json') await new Promise((r) => setTimeout(r, 1500));
      return false;
    });
    try {
      const r = await pm(['marketplace-search', 'notes', '--registry', 'main', '--home', cachedHome]);
      expect(r.exitCode).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('notes@1.0.0  [main]');
    } finally {
      main.setOverride(undefined);
    }
  });
});

const hasScript = (() => { try { execFileSync('script', ['--version'], { stdio: 'ignore' }); return true; } catch { return false; } })();

describe('long waits on a terminal', () => {
  it.skipIf(!hasScript)('shows a spinner on stderr saying what pm waits for, and which attempt after a retry', async () => {
    let n = 0;
    main.setOverride(async (req, res) => {
      if (req.url !== '/index.json') return false;
      if (++n <= 2) { res.writeHead(503); res.end(); return true; }
      await new Promise((r) => setTimeout(r, 2500)); // the third attempt is slow, then answers
      return false;
    });
    const s = runPmOnPty(['marketplace-search', 'notes', '--registry', 'main', '--home', cachedHome], { cwd: tmp.dir, env: { CI: undefined } });
    try {
      await s.expect(`fetching index of main from ${main.url}index.json (attempt 3 of 3; last: HTTP 503)`);
      expect(await s.exited).toBe(0);
      expect(s.screen).toContain('notes@1.0.0  [main]');
    } finally {
      s.kill();
      main.setOverride(undefined);
    }
  });
});
