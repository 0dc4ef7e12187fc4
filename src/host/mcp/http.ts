import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { PmError } from '../../core/errors.js';
import { allowedNames, corsHeaders, corsOrigin, hostAllowed, isLoopback, originAllowed, preflightHeaders, tokenMatches } from './http-guard.js';
import { DEFAULT_SESSION_LIMITS, SessionTable } from './http-sessions.js';
import type { Logger } from './logger.js';
import { MIN_TOKEN_LENGTH } from '../../core/serve-token.js';
import type { McpService } from './server.js';
import { answerMetrics, isMetricsRequest } from '../telemetry/metrics-http.js';

export interface HttpOptions {
  port: number;
  /** Bind address (default 127.0.0.1). */
  host?: string;
  /** Required as `Authorization: Bearer <token>` on /mcp; startHttp refuses to run without one unless `noToken`. */
  token?: string;
  /** Serve without a token: allowed on a loopback bind only (`--no-token`). */
  noToken?: boolean;
  /** Extra names the Host/Origin headers may carry (e.g. a reverse proxy's). */
  allowHosts?: string[];
  /** Extra exact origins allowed (e.g. https://app.example.org). */
  allowOrigins?: string[];
  /** Largest request body accepted. */
  maxBodyBytes?: number;
  /** Most sessions one client (remote address + token) holds; at the cap its least recently used idle one is evicted (default 64). */
  maxSessions?: number;
  /** Most sessions in all (default 256), evicted the same way. */
  maxTotalSessions?: number;
  /** A session that sends nothing after its initialize is closed after this long (default 10 s). */
  pendingSessionMs?: number;
  /** A session with no request for this long is closed (default 30 minutes). */
  sessionIdleMs?: number;
  log: Logger;
}

export interface HttpHandle {
  url: string;
  port: number;
  sessions(): number;
  close(): Promise<void>;
}

/**
 * Refuses, before anything listens, what would let others call the plugins' tools: no token
 * off loopback, and a short one. A missing token is allowed here: pm serve generates one.
 */
export function checkHttpOptions(opts: Pick<HttpOptions, 'host' | 'token' | 'noToken'>): void {
  const bind = opts.host ?? '127.0.0.1';
  if (opts.noToken && !isLoopback(bind)) {
    throw new PmError('SERVE_UNSAFE_BIND', `refusing --no-token on ${bind}: anyone who can reach it could call every plugin's tools`, {
      hint: 'drop --no-token (pm serve then uses --token, PM_TOKEN or the token it keeps in PM_HOME), or bind to 127.0.0.1',
      data: { host: bind },
    });
  }
  if (opts.token !== undefined && opts.token.length < MIN_TOKEN_LENGTH) {
    throw new PmError('SERVE_WEAK_TOKEN', `the token is shorter than ${MIN_TOKEN_LENGTH} characters`, {
      hint: "use a long random token, e.g. $(node -e \"console.log(crypto.randomBytes(24).toString('hex'))\"), or leave it out and pm serve generates one",
    });
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

function rpcError(res: ServerResponse, status: number, code: number, message: string, headers?: Record<string, string>): void {
  send(res, status, { jsonrpc: '2.0', error: { code, message }, id: null }, headers);
}

async function readBody(req: IncomingMessage, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new PmError('BODY_TOO_LARGE', `request body over ${max} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Serves MCP over Streamable HTTP on node:http: `/mcp` with one session (transport + SDK
 * Server) per client, so list_changed reaches each; `GET /healthz` for liveness; `GET /metrics`.
 */
export async function startHttp(service: McpService, opts: HttpOptions): Promise<HttpHandle> {
  checkHttpOptions(opts);
  // Without a token any local process, plugins included, could use every plugin's tools.
  if (!opts.token && !opts.noToken) {
    throw new PmError('SERVE_NO_TOKEN', 'HTTP mode needs a token', { hint: 'pass a token, or noToken on a loopback bind' });
  }
  const bind = opts.host ?? '127.0.0.1';
  const maxBody = opts.maxBodyBytes ?? 4 * 1024 * 1024;
  const d = DEFAULT_SESSION_LIMITS;
  const sessions = new SessionTable<StreamableHTTPServerTransport>(
    { perClient: opts.maxSessions ?? d.perClient, total: opts.maxTotalSessions ?? d.total, pendingMs: opts.pendingSessionMs ?? d.pendingMs, idleMs: opts.sessionIdleMs ?? d.idleMs },
    // A flood closes many at once: keep them out of the log unless asked (debug).
    (id, reason) => opts.log[reason === 'idle' ? 'info' : 'debug'](`session closed: ${reason}`, { session: id }),
  );
  // Clients that go away without DELETE, or never finish initializing, would otherwise fill the table.
  const sweep = setInterval(() => sessions.sweep(), sessions.sweepEveryMs());
  sweep.unref();
  let port = opts.port;
  let names = allowedNames(bind, opts.allowHosts);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    // Liveness only: no version, no plugin names, no session count.
    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) return send(res, 200, { ok: true });
    if (!hostAllowed(req.headers.host, names, port)) {
      opts.log.warn('refused a request with a Host header not in the allowlist', { host: req.headers.host });
      return rpcError(res, 403, -32000, 'Forbidden: Host not allowed');
    }
    if (!originAllowed(req.headers.origin, names, opts.allowOrigins)) {
      opts.log.warn('refused a request from an origin not in the allowlist', { origin: req.headers.origin });
      return rpcError(res, 403, -32000, 'Forbidden: Origin not allowed');
    }
    // Prometheus text, behind the same token as /mcp.
    if (isMetricsRequest(req, path)) return answerMetrics(req, res, opts.token);
    if (path !== '/mcp') return send(res, 404, { error: 'not found' });
    const cors = corsOrigin(req.headers.origin, opts.allowOrigins);
    // Preflights carry no token; only origins named with --allow-origin get a grant.
    if (req.method === 'OPTIONS') {
      if (!cors) return rpcError(res, 403, -32000, 'Forbidden: cross-origin requests need the origin listed with --allow-origin');
      res.writeHead(204, preflightHeaders(cors));
      return res.end();
    }
    // Set before any answer (401s included) so the browser lets the page read it.
    if (cors) for (const [k, v] of Object.entries(corsHeaders(cors))) res.setHeader(k, v);
    if (opts.token && !tokenMatches(req.headers.authorization, opts.token)) {
      return rpcError(res, 401, -32001, 'Unauthorized: send Authorization: Bearer <token>', { 'www-authenticate': 'Bearer realm="pm"' });
    }
    let body: unknown;
    if (req.method === 'POST') {
      try {
        body = JSON.parse(await readBody(req, maxBody));
      } catch (err) {
        const tooLarge = (err as { code?: string }).code === 'BODY_TOO_LARGE';
        return rpcError(res, tooLarge ? 413 : 400, -32700, tooLarge ? 'Request body too large' : 'Parse error: the body is not JSON');
      }
    }
    const sid = req.headers['mcp-session-id'];
    const id = Array.isArray(sid) ? sid[0] : sid;
    if (id) {
      const transport = sessions.get(id);
      if (!transport) return rpcError(res, 404, -32001, 'Session not found: initialize again');
      // A GET is the long-lived notification stream, not work: it leaves the session evictable.
      const busy = req.method !== 'GET';
      sessions.begin(id, { busy });
      if (busy) res.once('close', () => sessions.release(id));
      return transport.handleRequest(req, res, body);
    }
    if (req.method !== 'POST' || !isInitializeRequest(body)) return rpcError(res, 400, -32000, 'Bad Request: no session; start with an initialize request');
    const client = clientKey(req);
    if (!sessions.admit(client)) {
      opts.log.debug('refused a session: every session that could make room is answering a request', { client: req.socket.remoteAddress });
      return rpcError(res, 503, -32000, 'Too many sessions: every session that could make room is answering a request; retry shortly');
    }
    const newId = randomUUID();
    const t: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => newId,
      onsessioninitialized: (sessionId) => opts.log.info('session opened', { session: sessionId }),
      onsessionclosed: (sessionId) => {
        sessions.delete(sessionId);
        opts.log.info('session closed', { session: sessionId });
      },
    });
    t.onclose = () => sessions.delete(newId);
    // Counted from now, so concurrent initializes cannot all slip under the cap.
    sessions.add(newId, client, t);
    res.once('close', () => {
      sessions.release(newId);
      // An initialize the transport refused leaves no session behind.
      if (t.sessionId === undefined) {
        sessions.delete(newId);
        void t.close().catch(() => {});
      }
    });
    await service.createServer({ source: 'http' }).connect(t);
    await t.handleRequest(req, res, body);
  };

  /** Who holds a session, for the per-client cap: the remote address and the token presented. */
  const clientKey = (req: IncomingMessage): string => {
    const auth = opts.token ? createHash('sha256').update(req.headers.authorization ?? '').digest('hex').slice(0, 16) : '';
    return `${req.socket.remoteAddress ?? '?'}|${auth}`;
  };

  const server: HttpServer = createServer((req, res) => {
    handle(req, res).catch((err) => {
      opts.log.error('HTTP request failed', { error: (err as Error).message });
      if (!res.headersSent) rpcError(res, 500, -32603, 'Internal error');
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new PmError('SERVE_LISTEN_FAILED', `cannot listen on ${bind}:${opts.port}: ${err.code ?? err.message}`, {
        hint: err.code === 'EADDRINUSE' ? 'choose another port with --http <port>' : 'check --host and --http',
        cause: err,
      })));
    server.listen(opts.port, bind, () => resolve());
  });
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : opts.port;
  names = allowedNames(bind, opts.allowHosts);
  const shown = bind.includes(':') ? `[${bind}]` : bind;
  return {
    url: `http://${shown}:${port}/mcp`,
    port,
    sessions: () => sessions.size,
    close: async () => {
      clearInterval(sweep);
      await sessions.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
