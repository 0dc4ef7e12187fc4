import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { pmBin } from './pm.js';
import type { ServeHost } from '../../src/host/mcp/types.js';

export interface HttpServer {
  url: string;
  port: number;
  child: ChildProcess;
  stderr: () => string;
  stop: () => Promise<number | null>;
}

/** Spawns the real `pm serve --mcp --http 0 …` and resolves once it says where it listens. */
export function startHttpServer(home: string, args: string[] = [], env: Record<string, string> = {}): Promise<HttpServer> {
  const child = spawn(process.execPath, [pmBin, 'serve', '--mcp', '--http', '0', '--home', home, ...args], {
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(err);
      if (m) {
        const url = m[1];
        resolve({
          url,
          port: Number(new URL(url).port),
          child,
          stderr: () => err,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    void exited.then((code) => reject(new Error(`pm serve exited ${code} before listening: ${err}`)));
  });
}

/** A raw HTTP request with full control of the headers (fetch forbids setting Host). */
export function rawRequest(port: number, opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path ?? '/', headers: opts.headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** The body of an initialize request. */
export const initializeBody = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

/** The headers an MCP client sends to the server on 127.0.0.1:`port`, plus `extra`. */
export const mcpHeaders = (port: number, extra: Record<string, string> = {}) => ({
  host: `127.0.0.1:${port}`,
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  ...extra,
});

/** A ServeHost with one tool `p.t` that answers "ok", for tests of the HTTP layer alone. */
export const oneToolHost: ServeHost = {
  tools: () => [{ plugin: 'p', name: 't', inputSchema: { type: 'object' } }],
  resources: () => [],
  prompts: () => [],
  callTool: async () => ({ content: [{ type: 'text', text: 'ok' }] }),
  readResource: async () => ({ contents: [] }),
  dispatch: async (_e, value) => ({ value }),
  reload: async () => {},
};
