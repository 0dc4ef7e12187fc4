import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One request a receiver got. */
export interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  /** Whether standardwebhooks verified it with the receiver's secret (undefined without one). */
  verified?: boolean;
  /** What the receiver answered. */
  answered: number | 'timeout';
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Event ids answered 2xx. */
  accepted(): Set<string>;
  close(): Promise<void>;
}

/**
 * A real HTTP receiver on 127.0.0.1. `answer` decides each reply: a status, or 'timeout'
 * (the request is held open until the sender gives up). Verifies with the standardwebhooks package.
 */
export async function startReceiver(opts: { secret?: string; answer?: (n: number, body: string) => number | 'timeout'; headers?: (n: number) => Record<string, string> } = {}): Promise<Receiver> {
  const received: Received[] = [];
  const wh = opts.secret ? new Webhook(opts.secret) : undefined;
  const held = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      const n = received.length;
      const h = { 'webhook-id': String(req.headers['webhook-id'] ?? ''), 'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''), 'webhook-signature': String(req.headers['webhook-signature'] ?? '') };
      let verified: boolean | undefined;
      if (wh) {
        try {
          wh.verify(body, h);
          verified = true;
        } catch {
          verified = false;
        }
      }
      const answer = opts.answer ? opts.answer(n, body) : 200;
      received.push({ id: h['webhook-id'], timestamp: h['webhook-timestamp'], signature: h['webhook-signature'], body, verified, answered: answer });
      if (answer === 'timeout') {
        held.add(res);
        res.on('close', () => held.delete(res));
        return;
      }
      res.writeHead(answer, opts.headers?.(n) ?? {});
      res.end(answer < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    accepted: () => new Set(received.filter((r) => typeof r.answered === 'number' && r.answered < 300).map((r) => r.id)),
    close: async () => {
      for (const r of held) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
