import type { Command } from 'commander';
import { Option } from 'commander';
import { createRequire } from 'node:module';
import { action } from '../action.js';
import { usageError } from '../../core/errors.js';
import { register as registerStats } from './stats.js';

const collect = (v: string, prev: string[]) => [...prev, v];

interface ServeFlags {
  mcp?: boolean;
  http?: string | boolean;
  host?: string;
  token?: string;
  allowHost: string[];
  allowOrigin: string[];
  nameSeparator: string;
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  watch?: boolean;
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
    .option('--host <address>', 'HTTP bind address (default 127.0.0.1; others need --token)')
    .option('--token <secret>', 'HTTP: require Authorization: Bearer <secret> (default $PM_TOKEN)')
    .option('--allow-host <name>', 'HTTP: another name clients may use in Host/Origin (repeat for more)', collect, [])
    .option('--allow-origin <origin>', 'HTTP: a browser origin allowed to call (repeat for more)', collect, [])
    .option('--name-separator <sep>', 'between plugin and tool names on the wire', '__')
    .addOption(new Option('--log-level <level>', 'what goes to stderr and logs/serve.log').choices(['error', 'warn', 'info', 'debug']).default('info'))
    .option('--watch', 'reload linked plugins when their files change')
    .addHelpText('after', `
Examples:
  $ pm serve --mcp                              stdio, for Claude Desktop, Claude Code, Cursor
  $ pm serve --mcp --http 7420                  Streamable HTTP on http://127.0.0.1:7420/mcp
  $ PM_TOKEN=… pm serve --mcp --http --host 0.0.0.0

stdout carries only MCP messages; logs go to stderr and <home>/logs/serve.log.
See docs/serve.md for client configuration and HTTP security.`)
    .action(action(async ({ home }, flags: ServeFlags) => {
      if (!flags.mcp) throw usageError('pm serve needs --mcp', 'run pm serve --mcp (stdio) or pm serve --mcp --http [port]');
      if (!/^[A-Za-z0-9_-]{1,8}$/.test(flags.nameSeparator)) {
        throw usageError(`--name-separator '${flags.nameSeparator}' is not allowed`, 'use 1 to 8 of A-Z a-z 0-9 _ - (MCP clients accept only these in tool names)');
      }
      let http: { port: number; host?: string; token?: string; allowHosts: string[]; allowOrigins: string[] } | undefined;
      if (flags.http !== undefined) {
        const port = flags.http === true ? 7420 : Number(flags.http);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw usageError(`--http '${flags.http}' is not a port`, 'give a port from 0 to 65535, e.g. --http 7420');
        http = { port, host: flags.host, token: flags.token ?? (process.env.PM_TOKEN || undefined), allowHosts: flags.allowHost, allowOrigins: flags.allowOrigin };
      } else if (flags.host || flags.token) {
        throw usageError('--host and --token apply to HTTP only', 'add --http [port]');
      }
      const version = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;
      const { serve } = await import('../../host/mcp/serve.js');
      const { openRuntimeHost } = await import('../../host/mcp/host-adapter.js');
      const handle = await serve({
        home,
        version,
        separator: flags.nameSeparator,
        logLevel: flags.logLevel,
        watch: Boolean(flags.watch),
        http,
        openHost: (log) => openRuntimeHost({ home, log }),
      });
      await handle.done;
      // Stopped: plugins are down and stats written. A stdout pipe the client keeps open must
      // not keep this process alive, so flush stdout and leave.
      await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
      process.exit(process.exitCode ?? 0);
    }));
}
