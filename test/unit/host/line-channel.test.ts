import { describe, expect, it } from 'vitest';
import { Duplex } from 'node:stream';
import { RpcPeer, type Message } from '../../../src/host/ipc.js';
import { LineDecoder, LineTransport, parseLine } from '../../../src/host/line-channel.js';

/** Two connected in-memory duplex streams (what the two ends of fd 3 are). */
function streamPair(): [Duplex, Duplex] {
  const make = (): Duplex & { other?: Duplex } => {
    const d: Duplex & { other?: Duplex } = new Duplex({
      read() {},
      write(chunk, _enc, cb) { d.other!.push(chunk); cb(); },
      final(cb) { d.other!.push(null); cb(); },
    });
    return d;
  };
  const a = make();
  const b = make();
  a.other = b;
  b.other = a;
  return [a, b];
}

const feed = (d: LineDecoder, ...chunks: (string | Buffer)[]) => {
  const out: string[] = [];
  for (const c of chunks) d.push(Buffer.isBuffer(c) ? c : Buffer.from(c), (l) => out.push(l));
  return out;
};

describe('LineDecoder', () => {
  it('splits lines across and within chunks, keeping a multi-byte character split between chunks whole', () => {
    const d = new LineDecoder(100);
    const euro = Buffer.from('€\n');
    expect(feed(d, 'a\nb', 'c\n\n', euro.subarray(0, 1), euro.subarray(1))).toEqual(['a', 'bc', '', '€']);
    expect(feed(d, 'tail')).toEqual([]);
    expect(d.pending).toBe(4);
  });

  it('refuses a line longer than the limit, whether it ends in the chunk or is still open', () => {
    expect(() => feed(new LineDecoder(4), '12345\n')).toThrow(expect.objectContaining({ code: 'IPC_BAD_MESSAGE', message: 'sent a message longer than 4 bytes' }));
    expect(() => feed(new LineDecoder(4), '12', '345')).toThrow(expect.objectContaining({ code: 'IPC_BAD_MESSAGE' }));
    expect(feed(new LineDecoder(4), '1234\n')).toEqual(['1234']);
  });
});

describe('parseLine', () => {
  it('accepts the three message kinds', () => {
    expect(parseLine('{"t":"req","id":1,"method":"m"}')).toEqual({ t: 'req', id: 1, method: 'm' });
    expect(parseLine('{"t":"res","id":1,"error":{"code":"X","message":"y"}}')).toMatchObject({ t: 'res' });
    expect(parseLine('{"t":"note","method":"log"}')).toMatchObject({ t: 'note' });
  });

  it.each([
    ['garbage', 'sent a line that is not JSON ("garbage")'],
    ['{"t":"res","id":', 'sent a line that is not JSON ("{\\"t\\":\\"res\\",\\"id\\":")'],
    ['{"hello":1}', 'sent a message that is not part of the protocol'],
    ['{"t":"req","id":"1","method":"m"}', 'sent a message that is not part of the protocol'],
    ['{"t":"res","id":1,"error":"boom"}', 'sent a message that is not part of the protocol'],
    ['[1,2]', 'sent a message that is not part of the protocol'],
    ['null', 'sent a message that is not part of the protocol'],
  ])('refuses %s', (line, message) => {
    expect(() => parseLine(line)).toThrow(expect.objectContaining({ code: 'IPC_BAD_MESSAGE', message }));
  });
});

describe('LineTransport', () => {
  it('carries requests and answers between two peers', async () => {
    const [a, b] = streamPair();
    const client = new RpcPeer(new LineTransport(a));
    new RpcPeer(new LineTransport(b), { handlers: { add: (p) => (p as number[]).reduce((x, y) => x + y, 0) } });
    expect(await Promise.all([client.request('add', [1, 2]), client.request('add', [3, 4])])).toEqual([3, 7]);
  });

  it('reports garbage once through onerror, delivers nothing after it, and closes the channel', async () => {
    const [a, b] = streamPair();
    const t = new LineTransport(b);
    const got: Message[] = [];
    const errors: unknown[] = [];
    t.onmessage = (m) => got.push(m);
    t.onerror = (e) => errors.push(e);
    const closed = new Promise<void>((r) => (t.onclose = r));
    a.write('{"t":"note","method":"before"}\nnot json\n{"t":"note","method":"after"}\n');
    await closed;
    expect(got).toEqual([{ t: 'note', method: 'before' }]);
    expect(errors).toEqual([expect.objectContaining({ code: 'IPC_BAD_MESSAGE', message: 'sent a line that is not JSON ("not json")' })]);
    await expect(t.send({ t: 'note', method: 'x' })).rejects.toMatchObject({ code: 'IPC_CLOSED' });
  });

  it('refuses to send a message over the limit, and a peer answers a result too large to send with an error instead of silence', async () => {
    const [a, b] = streamPair();
    const client = new RpcPeer(new LineTransport(a, 200));
    new RpcPeer(new LineTransport(b, 200), { handlers: { big: () => 'x'.repeat(500) } });
    await expect(client.request('big')).rejects.toMatchObject({ code: 'IPC_BAD_MESSAGE', message: 'message too large for the channel (limit 200 bytes)' });
    await expect(client.request('echo', 'y'.repeat(500))).rejects.toMatchObject({ code: 'IPC_BAD_MESSAGE' });
  });

  it('closes when the other end ends', async () => {
    const [a, b] = streamPair();
    const t = new LineTransport(b);
    const closed = new Promise<void>((r) => (t.onclose = r));
    await new LineTransport(a).close();
    await closed;
  });
});
