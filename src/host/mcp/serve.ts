import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { HttpHandle } from './http.js';
import { createLogger, type LogLevel, type Logger } from './logger.js';
import { McpService } from './server.js';
import { loadOrCreateServeToken } from '../../core/serve-token.js';
import { watchFileContent, watchTrees, type FileWatch } from './state-watch.js';
import { buildIfTypeScript } from '../../core/build/build-plugin.js';
import type { RuntimeHost } from './types.js';
import { startTelemetry, type TelemetryHandle } from '../telemetry/start.js';
import { startMetricsServer, type MetricsServer } from '../telemetry/metrics-http.js';
import { startServeWebhooks } from '../webhooks/serve-webhooks.js';

export interface ServeOptions {
  home: string;
  /** pm's version, announced to clients. */
  version: string;
  separator?: string;
  logLevel?: LogLevel;
  /** Reload linked plugins when their files change. */
  watch?: boolean;
  /** Serve Streamable HTTP instead of stdio; without `token` (or `noToken`) the one kept in PM_HOME is used. */
  http?: { port: number; host?: string; token?: string; noToken?: boolean; allowHosts?: string[]; allowOrigins?: string[] };
  /** OTLP/HTTP base URL for traces and metrics (`--otlp`); without it the OTEL_* variables decide. */
  otlp?: string;
  /** Also serve GET /metrics alone on 127.0.0.1:<port> (`--metrics-port`; 0 picks one), behind the HTTP token when there is one. */
  metricsPort?: number;
  /** Told the metrics URL once it listens. */
  onMetricsListening?: (url: string) => void;
  /** How often stats are persisted (default one minute). */
  statsIntervalMs?: number;
  /** Opens the host; injectable so the protocol can be exercised without plugins. */
  openHost: (log: Logger) => Promise<RuntimeHost>;
  /** Told the HTTP address, and where its token comes from, once listening. */
  onListening?: (url: string, auth: HttpAuth) => void;
}

/** Where the HTTP server's token comes from: given, PM_HOME's token file, or none (`--no-token`). */
export type HttpAuth = { kind: 'given' } | { kind: 'none' } | { kind: 'file'; path: string; token: string; created: boolean };

export interface ServeHandle {
  /** Settles when the server has stopped (signal, stdin closed, or stop()). */
  done: Promise<void>;
  stop(reason: string): Promise<void>;
  url?: string;
}

async function httpAuth(home: string, http: NonNullable<ServeOptions['http']>): Promise<HttpAuth> {
  if (http.token) return { kind: 'given' };
  if (http.noToken) return { kind: 'none' };
  return { kind: 'file', ...(await loadOrCreateServeToken(home)) };
}

/**
 * Runs `pm serve --mcp`: opens the host, serves MCP on stdio or HTTP, follows state.json
 * (and linked plugins' files with --watch), persists stats every minute, and stops
 * gracefully on SIGINT, SIGTERM or the end of stdin.
 */
export async function serve(opts: ServeOptions): Promise<ServeHandle> {
  // Loaded only for HTTP: the SDK's Streamable HTTP server and its web framework cost stdio memory.
  const httpModule = opts.http ? await import('./http.js') : undefined;
  if (opts.http) httpModule!.checkHttpOptions(opts.http);
  const log = createLogger({ level: opts.logLevel ?? 'info', home: opts.home });
  const stdio = !opts.http;
  // On stdio, stdout belongs to MCP: anything printed by mistake goes to stderr instead.
  if (stdio) {
    for (const m of ['log', 'info', 'debug'] as const) console[m] = (...a: unknown[]) => console.error(...a);
  }
  await mkdir(opts.home, { recursive: true });
  let auth: HttpAuth | undefined;
  let host: RuntimeHost;
  let telemetry: TelemetryHandle | undefined;
  try {
    // Before any plugin starts: a token file that cannot be trusted stops the server here.
    if (opts.http) auth = await httpAuth(opts.home, opts.http);
    telemetry = await startTelemetry({ otlp: opts.otlp, version: opts.version });
    host = await opts.openHost(log);
  } catch (err) {
    await telemetry?.shutdown();
    await log.close();
    throw err;
  }
  if (telemetry.config) log.info('exporting telemetry over OTLP/HTTP', { endpoint: telemetry.config.endpoint ?? 'from OTEL_EXPORTER_OTLP_*', traces: telemetry.config.traces, metrics: telemetry.config.metrics });
  const webhooks = startServeWebhooks(opts.home, log);
  host = webhooks.wrap(host);
  const service = new McpService(host, { separator: opts.separator, version: opts.version, log });
  const persist = () => host.persistStats().catch((err) => log.warn('could not persist stats', { error: (err as Error).message }));

  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  const watches: FileWatch[] = [];
  let http: HttpHandle | undefined;
  let metricsServer: MetricsServer | undefined;
  let stopping: Promise<void> | undefined;
  let statsTimer: NodeJS.Timeout | undefined;

  const stop = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      log.info('stopping', { reason });
      clearInterval(statsTimer);
      for (const w of watches) w.close();
      await host.dispatch('server:stopping', { reason }).catch(() => undefined);
      await webhooks.emit('server.stopping', { reason, pid: process.pid });
      await service.closeAll();
      await http?.close();
      await metricsServer?.close();
      await host.close().catch((err) => log.warn('stopping plugins failed', { error: (err as Error).message }));
      // After the plugins: the spans of the shutdown are sent too.
      await telemetry!.shutdown().catch(() => undefined);
      await persist();
      await webhooks.stop();
      log.info('stopped');
      await log.close();
      for (const s of ['SIGINT', 'SIGTERM'] as const) process.off(s, onSignal);
      resolveDone();
    })();
    return stopping;
  };
  const onSignal = (sig: NodeJS.Signals) => void stop(sig);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  statsTimer = setInterval(() => void persist(), opts.statsIntervalMs ?? 60_000);
  statsTimer.unref();

  if (stdio) {
    if (process.stdin.isTTY) {
      log.warn('pm serve --mcp speaks MCP on stdin and stdout: add it to your MCP client (docs/serve.md); Ctrl+C stops it');
    }
    const transport = new StdioServerTransport();
    await service.createServer({ source: 'stdio' }).connect(transport);
    // The client closing our stdin is how stdio servers are told to stop.
    process.stdin.once('end', () => void stop('stdin closed'));
    process.stdin.once('close', () => void stop('stdin closed'));
  } else {
    try {
      http = await httpModule!.startHttp(service, { ...opts.http!, token: auth?.kind === 'file' ? auth.token : opts.http!.token, log });
    } catch (err) {
      await host.close().catch(() => undefined);
      await telemetry.shutdown().catch(() => undefined);
      await webhooks.stop(0);
      await log.close();
      throw err;
    }
    if (auth?.kind === 'none') {
      log.warn(`NO TOKEN (--no-token): any program on this machine, every plugin pm runs included, can call every plugin's tools at ${http.url} and so use their permissions; use it only to debug, never with plugins you do not trust`);
    }
    opts.onListening?.(http.url, auth!);
    log.info(`listening on ${http.url}`);
  }
  if (opts.metricsPort !== undefined) {
    try {
      metricsServer = await startMetricsServer({ port: opts.metricsPort, token: auth?.kind === 'file' ? auth.token : opts.http?.token });
    } catch (err) {
      await stop('the metrics port cannot listen');
      throw err;
    }
    opts.onMetricsListening?.(metricsServer.url);
    log.info(`metrics on ${metricsServer.url}`);
  }

  watches.push(
    watchFileContent(join(opts.home, 'state.json'), async () => {
      log.debug('state.json changed; reloading');
      await service.refresh();
      if (opts.watch) rewatchLinked();
    }, { onError: (err) => log.warn('reloading after a state change failed', { error: (err as Error).message }) }),
    // pm secret-set: a server whose secrets changed is restarted with them on its next use.
    watchFileContent(join(opts.home, 'secrets.json'), async () => {
      log.debug('secrets.json changed; reloading');
      await service.refresh();
    }, { onError: (err) => log.warn('reloading after a secrets change failed', { error: (err as Error).message }) }),
  );
  let linkedWatch: FileWatch | undefined;
  const rewatchLinked = () => {
    linkedWatch?.close();
    const dirs = host.linkedDirs();
    linkedWatch = watchTrees(dirs, (dir) => {
      log.info('linked plugin changed; reloading it', { dir });
      // A TypeScript plugin is rebuilt first (only when its sources are newer than dist/), so the new code answers.
      void buildIfTypeScript(dir, { ifStale: true })
        .then(() => host.restartPluginAt(dir)).then(() => service.refresh())
        .catch((err) => log.warn('reloading a linked plugin failed', { dir, error: (err as Error).message }));
    });
    if (dirs.length) log.debug('watching linked plugins', { dirs });
  };
  if (opts.watch) {
    rewatchLinked();
    watches.push({ close: () => linkedWatch?.close() });
  }
  await host.dispatch('server:started', { transport: stdio ? 'stdio' : 'http' }).catch(() => undefined);
  await webhooks.emit('server.started', { transport: stdio ? 'stdio' : 'http', ...(http ? { url: http.url } : {}), pid: process.pid });
  if (host.pluginNames().length === 0) {
    log.warn(`no enabled plugins in ${opts.home}: clients will see no tools yet. Add one with pm plugin-install <folder|file.tgz|url> or pm marketplace-install <name> (or pm plugin-enable <name>); pm serve picks it up without a restart`);
  }
  log.info('serving MCP', { transport: stdio ? 'stdio' : 'http', tools: service.catalog.toolList.length, prompts: service.catalog.promptList.length });
  return { done, stop, url: http?.url };
}
