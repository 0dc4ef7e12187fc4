import { join } from 'node:path';
import { escapeControl, escapeJsonLine } from '../log-text.js';
import { LogFile, type LogFileOptions } from './log-file.js';

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  error(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  info(msg: string, data?: Record<string, unknown>): void;
  debug(msg: string, data?: Record<string, unknown>): void;
  close(): Promise<void>;
}

/**
 * The server's log: lines at or above `level` on stderr (stdout belongs to MCP), and every
 * line at or above `level` as JSON in `<home>/logs/serve.log` (rotated by size) when a home
 * is given. Control characters are escaped in both, so text from a plugin stays one line.
 */
export function createLogger(opts: { level: LogLevel; home?: string; stderr?: NodeJS.WritableStream; file?: LogFileOptions }): Logger {
  const max = LOG_LEVELS.indexOf(opts.level);
  const stderr = opts.stderr ?? process.stderr;
  const file = opts.home ? new LogFile(join(opts.home, 'logs', 'serve.log'), opts.file) : undefined;
  const write = (level: LogLevel, msg: string, data?: Record<string, unknown>) => {
    if (LOG_LEVELS.indexOf(level) > max) return;
    const extra = data && Object.keys(data).length ? ' ' + JSON.stringify(data) : '';
    stderr.write(`pm serve ${level}: ${escapeControl(msg + extra)}\n`);
    file?.write(escapeJsonLine(JSON.stringify({ time: new Date().toISOString(), pid: process.pid, level, msg, ...data })) + '\n');
  };
  return {
    error: (m, d) => write('error', m, d),
    warn: (m, d) => write('warn', m, d),
    info: (m, d) => write('info', m, d),
    debug: (m, d) => write('debug', m, d),
    close: async () => file?.close(),
  };
}

/** A logger that drops everything (tests of the protocol layer). */
export const silentLogger: Logger = { error() {}, warn() {}, info() {}, debug() {}, close: async () => {} };
