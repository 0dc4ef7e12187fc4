import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';

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
 * line at or above `level` as JSON in `<home>/logs/serve.log` when a home is given.
 */
export function createLogger(opts: { level: LogLevel; home?: string; stderr?: NodeJS.WritableStream }): Logger {
  const max = LOG_LEVELS.indexOf(opts.level);
  const stderr = opts.stderr ?? process.stderr;
  let file: WriteStream | undefined;
  if (opts.home) {
    try {
      const dir = join(opts.home, 'logs');
      mkdirSync(dir, { recursive: true });
      file = createWriteStream(join(dir, 'serve.log'), { flags: 'a' });
      // A full disk must not bring the server down: logging is best effort.
      file.on('error', () => { file = undefined; });
    } catch {
      file = undefined;
    }
  }
  const write = (level: LogLevel, msg: string, data?: Record<string, unknown>) => {
    if (LOG_LEVELS.indexOf(level) > max) return;
    const extra = data && Object.keys(data).length ? ' ' + JSON.stringify(data) : '';
    stderr.write(`pm serve ${level}: ${msg}${extra}\n`);
    file?.write(JSON.stringify({ time: new Date().toISOString(), pid: process.pid, level, msg, ...data }) + '\n');
  };
  return {
    error: (m, d) => write('error', m, d),
    warn: (m, d) => write('warn', m, d),
    info: (m, d) => write('info', m, d),
    debug: (m, d) => write('debug', m, d),
    close: () => new Promise<void>((resolve) => (file ? file.end(() => resolve()) : resolve())),
  };
}

/** A logger that drops everything (tests of the protocol layer). */
export const silentLogger: Logger = { error() {}, warn() {}, info() {}, debug() {}, close: async () => {} };
