// Marketplace figures (issue 7): `pm marketplace-search` on a 10,000-plugin index against
// `node -e` reading and JSON.parse-ing the same index, and install of a signed 1 MiB plugin
// from a registry served over HTTP on 127.0.0.1 (median).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compare, median, pmBin, repoRoot, report, timeCommand } from './lib.mjs';

const dist = (p) => import(pathToFileURL(join(repoRoot, 'dist', p)).href);

function pmOk(args) {
  const r = spawnSync(process.execPath, [pmBin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`pm ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** A generated index of `n` plugins with realistic fields (one or two versions each). */
function generateIndex(n) {
  const words = ['notes', 'sync', 'git', 'search', 'weather', 'calendar', 'mail', 'sql', 'http', 'files', 'chart', 'translate', 'summarize', 'todo', 'jira', 'slack'];
  const plugins = {};
  for (let i = 0; i < n; i++) {
    const name = `${words[i % words.length]}-${words[(i * 7) % words.length]}-${i}`;
    const versions = {};
    for (const v of i % 3 ? ['1.0.0'] : ['1.0.0', '1.1.0']) {
      versions[v] = {
        url: `packages/${name}/${name}-${v}.tgz`, size: 4096 + i, integrity: `sha512-${randomBytes(64).toString('base64')}`,
        provenance: `packages/${name}/${name}-${v}.tgz.prov`, signer: 'A'.repeat(40), engines: { pm: '^1.0.0' },
        dependencies: i % 5 ? {} : { [`notes-notes-0`]: '^1.0.0' }, tools: [words[i % 16], words[(i + 3) % 16]],
        permissions: { fs: { read: ['$DATA'] } }, publishedAt: '2026-11-24T10:00:00.000Z', deprecated: null,
      };
    }
    plugins[name] = {
      description: `A plugin that does ${words[i % 16]} with ${words[(i + 5) % 16]} for number ${i}`, author: `Author ${i % 100}`,
      license: 'MIT', categories: [words[i % 4]], tags: [words[(i + 1) % 16], words[(i + 2) % 16]],
      latest: Object.keys(versions).at(-1), rating: (i % 50) / 10, downloads: i * 13, versions,
    };
  }
  return { schemaVersion: 1, name: 'bench', version: 1, generatedAt: new Date().toISOString(), expires: new Date(Date.now() + 86_400_000).toISOString(), plugins };
}

/** A static file server with ETags, like any web server, in a child process (spawnSync in the timing loop would block one in ours). */
async function startServer(root) {
  const code = `
    const http = require('node:http'), fs = require('node:fs'), path = require('node:path');
    const root = ${JSON.stringify(root)};
    const s = http.createServer((req, res) => {
      const f = path.join(root, path.normalize(decodeURIComponent(req.url.split('?')[0])));
      if (!f.startsWith(root)) { res.writeHead(400); return res.end(); }
      fs.stat(f, (e1, st) => {
        if (e1) { res.writeHead(404); return res.end(); }
        const etag = '"' + st.size + '-' + Math.floor(st.mtimeMs) + '"';
        if (req.headers['if-none-match'] === etag) { res.writeHead(304, { etag }); return res.end(); }
        fs.readFile(f, (err, body) => { if (err) { res.writeHead(404); return res.end(); } res.writeHead(200, { 'content-length': body.length, etag }); res.end(body); });
      });
    });
    s.listen(0, '127.0.0.1', () => console.log(s.address().port));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    child.stdout.once('data', (d) => resolve(Number(String(d).trim())));
    child.once('exit', (c) => reject(new Error(`server exited ${c}`)));
  });
  return { url: `http://127.0.0.1:${port}/`, stop: () => child.kill() };
}

export default async function marketBench() {
  const tmp = mkdtempSync(join(tmpdir(), 'pm-bench-market-'));
  try {
    const { openKeyring, signDetached, signPackage } = await dist('core/sign/index.js');
    const { packPlugin } = await dist('core/pack/index.js');
    const op = join(tmp, 'operator');
    await openKeyring(op).generate({ name: 'Bench Operator' });
    const key = join(tmp, 'key.asc');
    writeFileSync(key, await openKeyring(op).exportPublic());

    // 1. search on a 10,000-plugin index, read from disk (unchanged index: no re-verification).
    const site = join(tmp, 'site');
    mkdirSync(site);
    const bytes = Buffer.from(JSON.stringify(generateIndex(10_000), null, 2) + '\n');
    writeFileSync(join(site, 'index.json'), bytes);
    writeFileSync(join(site, 'index.json.asc'), await signDetached(bytes, { home: op }));
    const home = join(tmp, 'user');
    pmOk(['marketplace-add', 'bench', site, '--key', key, '--home', home]);
    const cached = join(home, 'cache', 'registries', 'bench', 'index.json');
    const search = () => timeCommand(process.execPath, [pmBin, 'marketplace-search', 'weather', '--home', home]);
    const parse = () => timeCommand(process.execPath, ['-e', `JSON.parse(require('fs').readFileSync(${JSON.stringify(cached)}, 'utf8'))`]);
    const { a, b } = compare(search, parse, 11);
    report(`marketplace-search on a 10,000-plugin index (${(bytes.length / 1048576).toFixed(1)} MiB, median of 11)`, { value: a, baseline: b, baselineName: 'node -e JSON.parse(index)', target: 2.0 });

    // 2. install of a signed 1 MiB plugin from an HTTP registry.
    const plugin = join(tmp, 'big');
    mkdirSync(plugin);
    writeFileSync(join(plugin, 'plugin.json'), JSON.stringify({ name: 'big', version: '1.0.0', description: 'A 1 MiB plugin', license: 'MIT', main: 'index.js', contributes: { tools: [{ name: 'noop', description: 'Does nothing', inputSchema: { type: 'object' } }] } }));
    writeFileSync(join(plugin, 'package.json'), '{ "type": "module" }');
    writeFileSync(join(plugin, 'index.js'), 'export default { tools: { noop: async () => ({ content: [] }) } };\n');
    writeFileSync(join(plugin, 'blob.bin'), randomBytes(1024 * 1024)); // incompressible: the .tgz stays about 1 MiB
    const pkgs = join(tmp, 'pkgs');
    const { file } = await packPlugin(plugin, { outDir: pkgs });
    await signPackage(file, { home: op });
    const site2 = join(tmp, 'site2');
    pmOk(['registry-build', pkgs, '--out', site2, '--home', op]);
    const server = await startServer(site2);
    try {
      const times = [];
      for (let i = 0; i < 7; i++) {
        const h = join(tmp, `inst-${i}`);
        pmOk(['marketplace-add', 'http', server.url, '--key', join(site2, 'key.asc'), '--home', h]);
        times.push(timeCommand(process.execPath, [pmBin, 'marketplace-install', 'big', '--home', h]));
        rmSync(h, { recursive: true, force: true });
      }
      const size = readFileSync(file).length;
      const node = median(Array.from({ length: 7 }, () => timeCommand(process.execPath, ['-e', '0'])));
      report(`marketplace-install of a signed ${(size / 1048576).toFixed(2)} MiB plugin over HTTP (median of 7)`, { value: median(times), baseline: node, baselineName: 'node -e 0' });
    } finally {
      server.stop();
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
