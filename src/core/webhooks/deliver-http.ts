/**
 * One delivery attempt: POST with the Standard Webhooks headers, a timeout, no redirects
 * (a 3xx is a failure), and only 2xx counting as delivered.
 */
import http from 'node:http';
import https from 'node:https';

export interface AttemptResult {
  ok: boolean;
  /** The receiver's HTTP status, when it answered. */
  status?: number;
  /** Why it failed, in words. */
  error?: string;
}

/** Keep-alive agents shared by one worker's attempts. */
export interface Agents {
  http: http.Agent;
  https: https.Agent;
  destroy(): void;
}

/** Agents that keep connections open between attempts (throughput to one receiver). */
export function createAgents(): Agents {
  const a = { http: new http.Agent({ keepAlive: true, maxSockets: 8 }), https: new https.Agent({ keepAlive: true, maxSockets: 8 }) };
  return { ...a, destroy: () => (a.http.destroy(), a.https.destroy()) };
}

/** Reads at most this much of a receiver's answer (it is only kept for the error text). */
const MAX_ANSWER = 4096;

/** POSTs `body` to `url`; never throws. */
export function postWebhook(url: string, body: string, headers: Record<string, string>, opts: { timeoutMs: number; agents?: Agents; signal?: AbortSignal }): Promise<AttemptResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return done({ ok: false, error: 'not a URL' });
    }
    const secure = target.protocol === 'https:';
    const req = (secure ? https : http).request(target, {
      method: 'POST',
      agent: opts.agents ? (secure ? opts.agents.https : opts.agents.http) : undefined,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'pm-webhooks/1', ...headers },
    }, (res) => {
      const status = res.statusCode ?? 0;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        if (text.length < MAX_ANSWER) text += c;
      });
      res.on('end', () => {
        if (status >= 200 && status < 300) done({ ok: true, status });
        else if (status >= 300 && status < 400) done({ ok: false, status, error: `redirect (${status}) not followed` });
        else done({ ok: false, status, error: `HTTP ${status}${text ? `: ${text.slice(0, 200).replace(/\s+/g, ' ')}` : ''}` });
      });
      res.on('error', (err) => done({ ok: false, status, error: err.message }));
    });
    const timer = setTimeout(() => {
      done({ ok: false, error: `timed out after ${opts.timeoutMs} ms` });
      req.destroy();
    }, opts.timeoutMs);
    const onAbort = () => {
      done({ ok: false, error: 'stopped' });
      req.destroy();
    };
    opts.signal?.addEventListener('abort', onAbort);
    req.on('error', (err: NodeJS.ErrnoException) => done({ ok: false, error: err.code ?? err.message }));
    req.end(body);
  });
}
