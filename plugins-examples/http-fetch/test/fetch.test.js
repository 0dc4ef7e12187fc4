// Run with `pm plugin-test`: http-fetch against a real HTTP server on 127.0.0.1 (no other network).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertDenied, assertToolResult, createTestHost } from 'pmkit/testing';

const plugin = fileURLToPath(new URL('..', import.meta.url));
let base;
const server = createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  if (path === '/hello') return res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('hello from the test server');
  if (path === '/json') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  if (path === '/big') return res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(5000));
  if (path === '/image') return res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(10));
  if (path === '/slow') return; // never answers: only the plugin's time limit ends the request
  if (path === '/missing') return res.writeHead(404, { 'content-type': 'text/plain' }).end('nothing here');
  if (path === '/to-hello') return res.writeHead(302, { location: '/hello' }).end();
  if (path === '/away') return res.writeHead(302, { location: 'http://example.org/' }).end();
  if (path === '/loop') return res.writeHead(302, { location: '/loop' }).end();
  res.writeHead(500).end();
});
let host;

before(async () => {
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
  host = await createTestHost({ plugin, config: { allowHosts: ['127.0.0.1'], maxBytes: 1000, timeoutMs: 30000 } });
});
after(async () => {
  await host.close();
  server.closeAllConnections();
  server.close();
});

test('get returns the body of an allowed URL as text', async () => {
  const r = await host.callTool('http-fetch.get', { url: `${base}/hello` });
  assertToolResult(r, { text: 'hello from the test server' });
  assert.equal(r.structuredContent.status, 200);
  assertToolResult(await host.callTool('http-fetch.get', { url: `${base}/json` }), { json: { ok: true } });
});

test('a host that is not in allowHosts is refused without a request', async () => {
  await assertDenied(host.callTool('http-fetch.get', { url: 'http://localhost:9/' }), "allowHosts '[\"localhost\"]'");
});

test('a host outside the manifest permissions.network is refused even if the config allows it', async () => {
  const wide = await createTestHost({ plugin, config: { allowHosts: ['127.0.0.1', 'evil.test'] } });
  try {
    await assertDenied(wide.callTool('http-fetch.get', { url: 'http://evil.test/' }), "not allowed by http-fetch's permissions.network");
  } finally {
    await wide.close();
  }
});

test('a body larger than maxBytes is an error, not a truncated text', async () => {
  assertToolResult(await host.callTool('http-fetch.get', { url: `${base}/big` }), { isError: true, text: `${base}/big: the response is larger than 1000 bytes (maxBytes)` });
  assertToolResult(await host.callTool('http-fetch.get', { url: `${base}/hello`, maxBytes: 5 }), { isError: true, contains: 'larger than 5 bytes' });
});

test('a server slower than timeoutMs is given up on', async () => {
  const impatient = await createTestHost({ plugin, config: { allowHosts: ['127.0.0.1'], timeoutMs: 300 } });
  try {
    assertToolResult(await impatient.callTool('http-fetch.get', { url: `${base}/slow` }), { isError: true, text: `${base}/slow did not answer within 300 ms` });
  } finally {
    await impatient.close();
  }
});

test('binary responses are refused', async () => {
  assertToolResult(await host.callTool('http-fetch.get', { url: `${base}/image` }), { isError: true, text: `${base}/image is image/png, not text` });
});

test('an HTTP error status comes back as an error with its body', async () => {
  assertToolResult(await host.callTool('http-fetch.get', { url: `${base}/missing` }), { isError: true, text: 'HTTP 404 Not Found\nnothing here' });
});

test('redirects are followed, each hop checked against the allowlist', async () => {
  assertToolResult(await host.callTool('http-fetch.get', { url: `${base}/to-hello` }), { text: 'hello from the test server' });
  await assertDenied(host.callTool('http-fetch.get', { url: `${base}/away` }), 'example.org is not allowed');
  assertToolResult(await host.callTool('http-fetch.get', { url: `${base}/loop` }), { isError: true, text: 'too many redirects (more than 3)' });
});

test('only http and https URLs are accepted', async () => {
  assertToolResult(await host.callTool('http-fetch.get', { url: 'file:///etc/passwd' }), { isError: true, contains: "invalid arguments for http-fetch.get: 'url'" });
});

test('with the default config nothing may be fetched', async () => {
  const closed = await createTestHost({ plugin });
  try {
    await assertDenied(closed.callTool('http-fetch.get', { url: `${base}/hello` }), 'not in allowHosts');
  } finally {
    await closed.close();
  }
});
