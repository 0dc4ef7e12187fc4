import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fetchBytes } from '../../../../src/core/net/fetch-bytes.js';
import { isPmError, type PmError } from '../../../../src/core/errors.js';
import { tempDir } from '../../../helpers/pm.js';

// A real HTTP server on 127.0.0.1; each path plays one server behaviour.
let server: Server;
let base: string;
const hits: Record<string, number> = {};
const seenHeaders: Record<string, IncomingMessage['headers']> = {};
const tmp = await tempDir();

function route(req: IncomingMessage, res: ServerResponse): void {
  const path = req.url ?? '/';
  hits[path] = (hits[path] ?? 0) + 1;
  seenHeaders[path] = req.headers;
  if (path === '/ok') { res.writeHead(200, { etag: '"v1"', 'last-modified': 'Tue, 24 Nov 2026 10:00:00 GMT' }); res.end('hello'); return; }
  if (path === '/etag') {
    if (req.headers['if-none-match'] === '"v1"') { res.writeHead(304); res.end(); return; }
    res.writeHead(200, { etag: '"v1"' }); res.end('body'); return;
  }
  if (path === '/big-declared') { res.writeHead(200, { 'content-length': '1000' }); res.end('x'.repeat(1000)); return; }
  if (path === '/big-chunked') { res.writeHead(200); for (let i = 0; i < 10; i++) res.write('y'.repeat(100)); res.end(); return; }
  if (path === '/flaky') { if (hits[path] < 3) { res.writeHead(503); res.end(); return; } res.writeHead(200); res.end('third time'); return; }
  if (path === '/missing') { res.writeHead(404); res.end(); return; }
  if (path === '/never') return; // never answers: the client's timeout must end it
  if (path === '/stall') { res.writeHead(200); res.write('half'); return; } // headers and some bytes, then silence
  if (path === '/trickle') { res.writeHead(200); const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write('.')), 40); return; }
  if (path === '/reset-once') { if (hits[path] === 1) { req.socket.destroy(); return; } res.writeHead(200); res.end('second time'); return; }
  res.writeHead(500); res.end();
}

beforeAll(async () => {
  server = createServer(route);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await tmp.cleanup();
});

async function failure(p: Promise<unknown>): Promise<PmError> {
  try { await p; } catch (e) { if (isPmError(e)) return e; throw e; }
  throw new Error('expected a PmError');
}

describe('fetchBytes over HTTP', () => {
  it('returns the body and the validators', async () => {
    const r = await fetchBytes(`${base}/ok`);
    expect(r.status).toBe('ok');
    if (r.status !== 'ok') return;
    expect(Buffer.from(r.body).toString()).toBe('hello');
    expect(r.etag).toBe('"v1"');
    expect(r.lastModified).toBe('Tue, 24 Nov 2026 10:00:00 GMT');
  });

  it('sends If-None-Match and If-Modified-Since and reports not-modified on 304', async () => {
    const r = await fetchBytes(`${base}/etag`, { etag: '"v1"', lastModified: 'Tue, 24 Nov 2026 10:00:00 GMT' });
    expect(r).toEqual({ status: 'not-modified' });
    expect(seenHeaders['/etag']['if-modified-since']).toBe('Tue, 24 Nov 2026 10:00:00 GMT');
  });

  it('refuses a declared body over the cap with exit 4', async () => {
    const e = await failure(fetchBytes(`${base}/big-declared`, { maxBytes: 999 }));
    expect(e.code).toBe('FETCH_TOO_LARGE');
    expect(e.exitCode).toBe(4);
    expect(e.message).toBe(`${base}/big-declared is larger than the 999 byte limit`);
  });

  it('counts the bytes that arrive when no length is declared', async () => {
    const e = await failure(fetchBytes(`${base}/big-chunked`, { maxBytes: 250 }));
    expect(e.code).toBe('FETCH_TOO_LARGE');
  });

  it('retries 5xx answers with backoff', async () => {
    const r = await fetchBytes(`${base}/flaky`, { retries: 2, backoffMs: 5 });
    expect(r.status === 'ok' && Buffer.from(r.body).toString()).toBe('third time');
    expect(hits['/flaky']).toBe(3);
  });

  it('does not retry a 404 and says which URL failed', async () => {
    const e = await failure(fetchBytes(`${base}/missing`, { retries: 3, backoffMs: 5 }));
    expect(e.message).toBe(`${base}/missing answered HTTP 404`);
    expect(hits['/missing']).toBe(1);
  });

  it('gives up on a server that never answers, after its retries, with exit 4', async () => {
    const e = await failure(fetchBytes(`${base}/never`, { timeoutMs: 200, retries: 1, backoffMs: 5 }));
    expect(e.code).toBe('FETCH_TIMEOUT');
    expect(e.exitCode).toBe(4);
    expect(e.message).toBe(`no complete answer from ${base}/never within 200 ms (after 2 attempts)`);
    expect(hits['/never']).toBe(2);
  });

  it('stops waiting for headers after the connect timeout, naming the URL and the timeout', async () => {
    const e = await failure(fetchBytes(`${base}/never`, { connectTimeoutMs: 150, timeoutMs: 60_000, retries: 0 }));
    expect(e.code).toBe('FETCH_TIMEOUT');
    expect(e.message).toBe(`no answer from ${base}/never within 150 ms (after 1 attempt)`);
  });

  it('stops a body that stalls for the idle timeout', async () => {
    const started = Date.now();
    const e = await failure(fetchBytes(`${base}/stall`, { idleTimeoutMs: 150, timeoutMs: 60_000, retries: 0 }));
    expect(e.code).toBe('FETCH_TIMEOUT');
    expect(e.message).toBe(`the download of ${base}/stall stalled: no data within 150 ms (after 1 attempt)`);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('ends a trickle that never stalls by the whole-attempt timeout (a slow freeze)', async () => {
    const e = await failure(fetchBytes(`${base}/trickle`, { idleTimeoutMs: 1_000, timeoutMs: 400, retries: 0 }));
    expect(e.code).toBe('FETCH_TIMEOUT');
    expect(e.message).toBe(`no complete answer from ${base}/trickle within 400 ms (after 1 attempt)`);
  });

  it('retries once after the server resets the connection, then returns the body', async () => {
    const r = await fetchBytes(`${base}/reset-once`, { retries: 1, backoffMs: 5 });
    expect(r.status === 'ok' && Buffer.from(r.body).toString()).toBe('second time');
    expect(hits['/reset-once']).toBe(2);
  });

  it('reports a refused connection as a network failure', async () => {
    const e = await failure(fetchBytes('http://127.0.0.1:1/x', { retries: 0 }));
    expect(e.code).toBe('FETCH_NETWORK');
    expect(e.exitCode).toBe(1);
  });
});

describe('fetchBytes from disk', () => {
  it('reads a file and reports not-modified while its size and mtime stay the same', async () => {
    const f = join(tmp.dir, 'index.json');
    await writeFile(f, '{"a":1}');
    const r = await fetchBytes(f);
    expect(r.status).toBe('ok');
    if (r.status !== 'ok') return;
    expect(Buffer.from(r.body).toString()).toBe('{"a":1}');
    expect(await fetchBytes(f, { lastModified: r.lastModified })).toEqual({ status: 'not-modified' });
  });

  it('caps a local file too', async () => {
    const f = join(tmp.dir, 'big.json');
    await writeFile(f, 'z'.repeat(100));
    expect((await failure(fetchBytes(f, { maxBytes: 99 }))).code).toBe('FETCH_TOO_LARGE');
  });

  it('refuses a FIFO as a local registry file at once instead of waiting for a writer', async () => {
    const f = join(tmp.dir, 'fifo-index.json');
    execFileSync('mkfifo', [f]);
    const err = await failure(fetchBytes(f));
    expect(err.code).toBe('FILE_NOT_REGULAR');
    expect(err.message).toBe(`${f} is a FIFO (named pipe), not a regular file`);
    expect(err.exitCode).toBe(2);
  });
});
