/**
 * The host ↔ plugin channel's framing: one JSON message per line over a stream (an extra
 * pipe, fd 3 in the plugin process). pm owns the parsing, so a plugin that writes garbage to
 * it breaks only its own channel, never the host (Node's IPC parser threw outside any handler).
 * Self-contained like ipc.ts: the sandboxed runner reads this file too.
 */
import type { Duplex } from 'node:stream';
import { IpcCode, IpcError, isMessage, type Message, type Transport } from './ipc.js';

/** Largest message either side accepts (bytes of one line). */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/** Splits a byte stream into lines of at most `max` bytes; throws an IPC_BAD_MESSAGE error on a longer one. */
export class LineDecoder {
  private parts: Buffer[] = [];
  private size = 0;

  constructor(private readonly max: number) {}

  /** Feeds `chunk`; hands every complete line (without its newline) to `onLine`. */
  push(chunk: Buffer, onLine: (line: string) => void): void {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      this.check(piece.length);
      const line = this.size ? Buffer.concat([...this.parts, piece]).toString('utf8') : piece.toString('utf8');
      this.parts = [];
      this.size = 0;
      start = nl + 1;
      onLine(line);
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      this.check(rest.length);
      this.parts.push(rest);
      this.size += rest.length;
    }
  }

  /** Bytes of an unfinished line. */
  get pending(): number {
    return this.size;
  }

  private check(more: number): void {
    if (this.size + more > this.max) throw new IpcError(IpcCode.badMessage, `sent a message longer than ${this.max} bytes`);
  }
}

/** Parses one line into a protocol message; throws an IPC_BAD_MESSAGE error when it is not one. */
export function parseLine(line: string): Message {
  let m: unknown;
  try {
    m = JSON.parse(line);
  } catch {
    throw new IpcError(IpcCode.badMessage, `sent a line that is not JSON (${JSON.stringify(line.slice(0, 40))}${line.length > 40 ? '…' : ''})`);
  }
  if (!isMessage(m)) throw new IpcError(IpcCode.badMessage, 'sent a message that is not part of the protocol');
  return m;
}

/**
 * A Transport over a duplex stream with newline-delimited JSON. A malformed or oversized
 * message is reported once through `onerror` (an IpcError with code IPC_BAD_MESSAGE) and ends
 * the channel; stream errors (the other side died) just close it.
 */
export class LineTransport implements Transport {
  onmessage?: (message: Message) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;
  private closed = false;
  private broken = false;
  private readonly decoder: LineDecoder;

  constructor(private readonly stream: Duplex, private readonly maxBytes = MAX_MESSAGE_BYTES) {
    this.decoder = new LineDecoder(maxBytes);
    stream.on('data', (chunk: Buffer) => {
      if (this.broken) return;
      try {
        this.decoder.push(chunk, (line) => {
          if (this.broken) return;
          let m: Message;
          try {
            m = parseLine(line);
          } catch (err) {
            return this.fail(err as IpcError);
          }
          this.onmessage?.(m);
        });
      } catch (err) {
        if (err instanceof IpcError && err.code === IpcCode.badMessage) this.fail(err);
        else throw err;
      }
    });
    // An error here means the other side is gone; 'close' follows and says so.
    stream.on('error', () => {});
    // The other side ended: nothing more will arrive, so the channel is closed both ways.
    stream.on('end', () => { this.done(); stream.end(); });
    stream.on('close', () => this.done());
  }

  send(message: Message): Promise<void> {
    if (this.closed || this.broken) return Promise.reject(new IpcError(IpcCode.closed, 'the channel is closed'));
    let line: string;
    try {
      line = JSON.stringify(message) + '\n';
    } catch (err) {
      return Promise.reject(new IpcError(IpcCode.badMessage, `message cannot be sent as JSON: ${(err as Error).message}`));
    }
    // Cheap test first: a string of n UTF-16 units is at most 3n UTF-8 bytes.
    if (line.length * 3 > this.maxBytes && Buffer.byteLength(line) - 1 > this.maxBytes) {
      return Promise.reject(new IpcError(IpcCode.badMessage, `message too large for the channel (limit ${this.maxBytes} bytes)`));
    }
    return new Promise((resolve, reject) => {
      this.stream.write(line, (err) => (err ? reject(new IpcError(IpcCode.closed, `the channel is closed: ${err.message}`)) : resolve()));
    });
  }

  async close(): Promise<void> {
    if (!this.closed) this.stream.end();
  }

  private fail(err: IpcError): void {
    this.broken = true;
    this.onerror?.(err);
    this.stream.destroy();
  }

  private done(): void {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
  }
}
