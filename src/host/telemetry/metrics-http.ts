/** GET /metrics: the registry as Prometheus text, on the MCP HTTP server or on its own loopback port. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { PmError } from '../../core/errors.js';
import { allowedNames, hostAllowed, tokenMatches } from '../mcp/http-guard.js';
import { serviceName } from './config.js';
import { registry } from './pm-metrics.js';
import { PROMETHEUS_CONTENT_TYPE, prometheusText } from './prometheus.js';

/** Whether `req` asks for the metrics (GET or HEAD /metrics). */
export function isMetricsRequest(req: IncomingMessage, path: string): boolean {
  return path === '/metrics' && (req.method === 'GET' || req.method === 'HEAD');
}

/** Answers with the Prometheus text of every instrument; `token`, when given, must come as a bearer token. */
export function answerMetrics(req: IncomingMessage, res: ServerResponse, token: string | undefined): void {
  if (token && !tokenMatches(req.headers.authorization, token)) {
    res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="pm"', 'cache-control': 'no-store' });
    res.end('Unauthorized: send Authorization: Bearer <token>\n');
    return;
  }
  const body = prometheusText(registry, { service_name: serviceName() });
  res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'cache-control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : body);
}

export interface MetricsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves /metrics alone on 127.0.0.1:`port` (`pm serve --metrics-port`), behind `token` when one is given. */
export async function startMetricsServer(opts: { port: number; token?: string }): Promise<MetricsServer> {
  let port = opts.port;
  const names = allowedNames('127.0.0.1');
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    // DNS rebinding: a page whose name resolves to 127.0.0.1 still sends its own name in Host.
    if (!hostAllowed(req.headers.host, names, port)) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
      return res.end('Forbidden: Host not allowed\n');
    }
    if (!isMetricsRequest(req, path)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      return res.end('not found: GET /metrics\n');
    }
    answerMetrics(req, res, opts.token);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new PmError('SERVE_LISTEN_FAILED', `cannot listen on 127.0.0.1:${opts.port} for /metrics: ${err.code ?? err.message}`, {
        hint: err.code === 'EADDRINUSE' ? 'choose another port with --metrics-port <port>' : 'check --metrics-port',
        cause: err,
      })));
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : opts.port;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
