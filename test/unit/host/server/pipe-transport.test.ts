import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { PipeTransport } from '../../../../src/host/server/pipe-transport.js';

// The ordering with the SDK's Client (progress before its response) is proven against a real server
// in server-process.test.ts; these pin down what the transport itself promises.
function make() {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const seen: (JSONRPCMessage | string)[] = [];
  const garbage: string[] = [];
  const t = new PipeTransport({ stdin, stdout }, (err) => garbage.push(err.message));
  t.onmessage = (m) => seen.push(m);
  t.onclose = () => seen.push('closed');
  return { t, stdin, stdout, seen, garbage };
}

const progress = { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } };
const response = { jsonrpc: '2.0', id: 1, result: { content: [] } };
const line = (m: unknown) => JSON.stringify(m) + '\n';
const tick = () => new Promise<void>((r) => setImmediate(r));

describe('PipeTransport', () => {
  it('hands on a response that follows a notification in the same chunk one microtask later, in order', async () => {
    const { t, stdout, seen } = make();
    await t.start();
    stdout.write(line(progress) + line(response));
    await tick();
    expect(seen).toEqual([progress, response]);
  });

  it('still hands on what was read when the server ends right after a notification and its response', async () => {
    const { t, seen } = make();
    await t.start();
    // Both lines in one read, then the end before any microtask runs.
    (t as unknown as { read(b: Buffer): void }).read(Buffer.from(line(progress) + line(response)));
    t.finish();
    expect(seen).toEqual([progress, response, 'closed']);
  });

  it('reports a line that is not JSON-RPC once and stops reading, after the messages before it', async () => {
    const { t, stdout, seen, garbage } = make();
    await t.start();
    stdout.write(line(response) + 'hello from print()\n' + line(response));
    await tick();
    stdout.write(line(response));
    await tick();
    expect(seen).toEqual([response]);
    expect(garbage).toHaveLength(1);
  });

  it('writes each message as one line on stdin and refuses to send once closed', async () => {
    const { t, stdin } = make();
    const chunks: string[] = [];
    stdin.on('data', (c: Buffer) => chunks.push(c.toString()));
    await t.send({ jsonrpc: '2.0', id: 7, method: 'ping' });
    expect(chunks.join('')).toBe('{"jsonrpc":"2.0","id":7,"method":"ping"}\n');
    t.finish();
    await expect(t.send({ jsonrpc: '2.0', id: 8, method: 'ping' })).rejects.toThrow(/stdin is closed/);
  });
});
