import type { Command } from 'commander';
import { Option } from 'commander';
import { createRequire } from 'node:module';
import { action } from '../action.js';
import { usageError } from '../../core/errors.js';
import { shellQuote } from '../../core/shell-quote.js';
import { register as registerStats } from './stats.js';

const collect = (v: string, prev: string[]) => [...prev, v];

interface ServeFlags {
  mcp?: boolean;
  http?: string | boolean;
  host?: string;
  /** A string from --token, false from --no-token. */
  token?: string | false;
  allowHost: string[];
  allowOrigin: string[];
  nameSeparator: string;
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  watch?: boolean;
  otlp?: string;
  metricsPort?: string;
  profile?: string;
}

/** Registers serve and stats. */
export function register(program: Command): void {
  registerServe(program);
  registerStats(program);
}

function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve every enabled plugin as one MCP server (stdio, or Streamable HTTP)')
    .option('--mcp', 'speak the Model Context Protocol (required)')
    .option('--http [port]', 'Streamable HTTP on this port instead of stdio (default 7420; 0 picks a free one)')
    .option('--host <address>', 'HTTP bind address (default 127.0.0.1)')
    .option('--token <secret>', 'HTTP: the token clients send as Authorization: Bearer <secret> (default $PM_TOKEN, else one kept in <home>/serve-token)')
    .option('--no-token', 'HTTP on loopback only: accept requests without a token (any local program could call every tool)')
    .option('--allow-host <name>', 'HTTP: another name clients may use in Host/Origin (repeat for more)', collect, [])
    .option('--allow-origin <origin>', 'HTTP: a browser origin allowed to call (repeat for more)', collect, [])
    .option('--name-separator <sep>', 'between plugin and tool names on the wire', '__')
    .addOption(new Option('--log-level <level>', 'what goes to stderr and logs/serve.log').choices(['error', 'warn', 'info', 'debug']).default('info'))
    .option('--watch', 'reload linked plugins when their files change')
    .option('--otlp <url>', 'export traces and metrics over OTLP/HTTP to this collector (e.g. http://127.0.0.1:4318; the OTEL_* variables work too)')
    .option('--metrics-port <port>', 'also serve Prometheus text at http://127.0.0.1:<port>/metrics (HTTP mode always has /metrics)')
    .option('--profile <name>', 'serve only the plugins and tools of this profile (pm profile-set)')
    .addHelpText('after', `
Examples:
  $ pm serve --mcp                              stdio, for Claude Desktop, Claude Code, Cursor
  $ pm serve --mcp --http 7420                  Streamable HTTP on http://127.0.0.1:7420/mcp
  $ pm serve --mcp --profile coding             only the plugins and tools of the profile 'coding'
  $ PM_TOKEN=$(openssl rand -hex 24) pm serve --mcp --http --host 0.0.0.0

Over HTTP every /mcp request needs Authorization: Bearer <token>. Without --token or
PM_TOKEN, pm generates one on first start and keeps it in <home>/serve-token (mode 0600).

stdout carries only MCP messages; logs go to stderr and <home>/logs/serve.log.
See docs/serve.md for client configuration and HTTP security.`)
    .action(action(async ({ out, home }, flags: ServeFlags) => {
      if (!flags.mcp) throw usageError('pm serve needs --mcp', 'run pm serve --mcp (stdio) or pm serve --mcp --http [port]');
      if (!/^[A-Za-z0-9_-]{1,8}$/.test(flags.nameSeparator)) {
        throw usageError(`--name-separator '${flags.nameSeparator}' is not allowed`, 'use 1 to 8 of A-Z a-z 0-9 _ - (MCP clients accept only these in tool names)');
      }
      let http: { port: number; host?: string; token?: string; noToken?: boolean; allowHosts: string[]; allowOrigins: string[] } | undefined;
      if (flags.http !== undefined) {
        const port = flags.http === true ? 7420 : Number(flags.http);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`--http '${flags.http}' is not a port`, 'give a port from 0 to 65535, e.g. --http 7420');
        const noToken = flags.token === false;
        const token = noToken ? undefined : (flags.token || process.env.PM_TOKEN || undefined);
        http = { port, host: flags.host, token, noToken, allowHosts: flags.allowHost, allowOrigins: flags.allowOrigin };
      } else if (flags.host || flags.token !== undefined) {
        throw usageError('--host, --token and --no-token apply to HTTP only', 'add --http [port]');
      }
      let metricsPort: number | undefined;
      if (flags.metricsPort !== undefined) {
        metricsPort = Number(flags.metricsPort);
        if (!/^\d+$/.test(flags.metricsPort) || metricsPort > 65535) throw usageError(`--metrics-port '${flags.metricsPort}' is not a port`, 'give a port from 0 to 65535, e.g. --metrics-port 9464');
      }
      if (flags.otlp !== undefined && !/^https?:\/\/[^\s]+$/.test(flags.otlp)) {
        throw usageError(`--otlp '${flags.otlp}' is not an http(s) URL`, 'give the collector\'s OTLP/HTTP base URL, e.g. --otlp http://127.0.0.1:4318');
      }
      const version = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;
      // An unknown profile is refused before anything is served.
      const profile = flags.profile === undefined ? undefined : await (await import('../../core/store/profiles.js')).getProfile(flags.profile, { home });
      const { filterByProfile } = profile ? await import('../../host/mcp/profile-filter.js') : { filterByProfile: undefined };
      const { serve } = await import('../../host/mcp/serve.js');
      const { openRuntimeHost } = await import('../../host/mcp/host-adapter.js');
      const handle = await serve({
        home,
        version,
        separator: flags.nameSeparator,
        logLevel: flags.logLevel,
        watch: Boolean(flags.watch),
        http,
        otlp: flags.otlp,
        metricsPort,
        onMetricsListening: (url) => out.info(`Prometheus metrics at ${url}`),
        onListening: (url, auth) => {
          if (auth.kind !== 'file') return;
          if (auth.created) {
            out.info(`generated a token for HTTP clients and saved it in ${auth.path} (mode 0600); every /mcp request must send it:\n  Authorization: Bearer ${auth.token}\n  e.g. claude mcp add --transport http pm ${url} --header "Authorization: Bearer $(cat ${shellQuote(auth.path)})"\n  pm reuses it on the next start; delete the file to get a new one`);
          } else {
            out.info(`HTTP clients send Authorization: Bearer <the token in ${auth.path}>`);
          }
        },
        openHost: async (log) => {
          const host = await openRuntimeHost({ home, log });
          return profile && filterByProfile ? filterByProfile(host, profile) : host;
        },
      });
      await handle.done;
      // Stopped: plugins are down and stats written. A stdout pipe the client keeps open must
      // not keep this process alive, so flush stdout and leave.
      await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
      process.exit(process.exitCode ?? 0);
    }));
}
