import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { download } from '../../../../src/core/store/source.js';
import { isPmError, type PmError } from '../../../../src/core/errors.js';
import { tempDir } from '../../../helpers/pm.js';

const tmp = await tempDir('pm-source-');
// A real TCP server on 127.0.0.1 that accepts connections and never says a word.
let silent: Server;
const held: Socket[] = [];
let silentUrl = '';
// A real HTTP server that resets the first connection to each path, then answers.
let flaky: HttpServer;
let flakyBase = '';
const hits: Record<string, number> = {};

beforeAll(async () => {
  silent = createServer((s) => void held.push(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/notes-1.0.0.tgz`;
  flaky = createHttpServer((req, res) => {
    const n = (hits[req.url!] = (hits[req.url!] ?? 0) + 1);
    if (n === 1) return void req.socket.destroy();
    if (req.url === '/missing.tgz.prov') return void res.writeHead(404).end();
    res.writeHead(200).end('package bytes');
  });
  await new Promise<void>((r) => flaky.listen(0, '127.0.0.1', r));
  flakyBase = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of held) s.destroy();
  await new Promise((r) => silent.close(r));
  flaky.closeAllConnections();
  await new Promise((r) => flaky.close(r));
  await tmp.cleanup();
});

async function failure(p: Promise<unknown>): Promise<PmError> {
  try { await p; } catch (e) { if (isPmError(e)) return e; throw e; }
  throw new Error('expected a PmError');
}

describe('download (plugin-install of a URL)', () => {
  it('stops waiting for a server that accepts and never answers, naming the URL and the timeout (exit 4), and writes nothing', async () => {
    const dest = join(tmp.dir, 'never.tgz');
    const started = Date.now();
    const e = await failure(download(silentUrl, dest, 1024 * 1024, false, { timeoutMs: 200 }));
    expect(e.code).toBe('FETCH_TIMEOUT');
    expect(e.exitCode).toBe(4);
    expect(e.message).toBe(`no answer from ${silentUrl} within 200 ms (after 2 attempts)`);
    expect(e.hint).toMatch(/did not answer in time/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await readdir(tmp.dir)).not.toContain('never.tgz');
  });

  it('retries once after a connection reset, then saves the body', async () => {
    const dest = join(tmp.dir, 'reset.tgz');
    expect(await download(`${flakyBase}/reset.tgz`, dest, 1024)).toBe(true);
    expect(await readFile(dest, 'utf8')).toBe('package bytes');
    expect(hits['/reset.tgz']).toBe(2);
  });

  it('reports each attempt, with why the previous one failed, for the progress display', async () => {
    const seen: Array<[number, number, string | undefined]> = [];
    const url = `${flakyBase}/attempts.tgz`;
    expect(await download(url, join(tmp.dir, 'attempts.tgz'), 1024, false, { onAttempt: (u, a, of, last) => { expect(u).toBe(url); seen.push([a, of, last]); } })).toBe(true);
    expect(seen).toEqual([[1, 2, undefined], [2, 2, 'UND_ERR_SOCKET']]);
  });

  it('returns false for an optional file the server does not have (404), after a reset', async () => {
    expect(await download(`${flakyBase}/missing.tgz.prov`, join(tmp.dir, 'missing.prov'), 1024, true)).toBe(false);
  });

  it('refuses a body over the size cap as DOWNLOAD_TOO_LARGE (exit 4)', async () => {
    const e = await failure(download(`${flakyBase}/big.tgz`, join(tmp.dir, 'big.tgz'), 5, false, { retries: 1 }));
    expect([e.code, e.exitCode, e.message]).toEqual(['DOWNLOAD_TOO_LARGE', 4, `${flakyBase}/big.tgz sends more than the 5-byte limit`]);
  });
});
