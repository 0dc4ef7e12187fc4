/**
 * The MCP SDK Transport over a spawned server's stdin/stdout (newline-delimited JSON-RPC, the
 * SDK's own framing). Not StdioClientTransport: that one spawns the program itself, and the
 * spawn belongs to launch/spawn-command.ts (and the sandbox that wraps it).
 */
import type { Readable, Writable } from 'node:stream';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** A Transport on a process's pipes; a line that is not JSON-RPC goes to `onGarbage` once and reading stops. */
export class PipeTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private readonly buffer = new ReadBuffer();
  private closed = false;
  private broken = false;
  /** A drain is queued behind a notification's handler. */
  private waiting = false;

  constructor(
    private readonly pipes: { stdin: Writable; stdout: Readable },
    private readonly onGarbage: (error: Error) => void,
  ) {}

  async start(): Promise<void> {
    const { stdout } = this.pipes;
    stdout.on('data', (chunk: Buffer) => this.read(chunk));
    stdout.once('close', () => this.finish());
    stdout.once('error', () => this.finish());
  }

  private read(chunk: Buffer): void {
    if (this.broken) return;
    this.buffer.append(chunk);
    if (!this.waiting) this.drain();
  }

  /**
   * Hands on each complete line as it is parsed, in order; the ReadBuffer is the queue. The SDK
   * runs notification handlers one microtask later but settles responses at once, so a response
   * read right after its progress notifications would drop them: after a notification, the rest
   * waits one microtask, queued behind the handler's. `flush` (at the end) hands on all at once.
   */
  private drain(flush = false): void {
    this.waiting = false;
    while (!this.broken) {
      let m: JSONRPCMessage | null;
      try {
        m = this.buffer.readMessage();
      } catch (err) {
        // stdout is the protocol channel: anything else on it is the server's fault, reported once.
        this.broken = true;
        this.buffer.clear();
        this.onGarbage(err as Error);
        return;
      }
      if (m === null) return;
      // A handler's error is not the server's garbage: it is outside the try.
      this.onmessage?.(m);
      if (!flush && !('id' in m)) {
        this.waiting = true;
        queueMicrotask(() => this.drain());
        return;
      }
    }
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const { stdin } = this.pipes;
    if (this.closed || stdin.destroyed || !stdin.writable) throw new Error('the server\'s stdin is closed');
    if (!stdin.write(serializeMessage(message))) await new Promise<void>((r) => { stdin.once('drain', r); stdin.once('close', r); });
  }

  /** Closes the server's stdin (its signal to exit); `onclose` follows when its stdout closes. */
  async close(): Promise<void> {
    if (!this.pipes.stdin.destroyed) this.pipes.stdin.end();
  }

  /** Reports the end of the connection (once): stdout closed or the process is gone. */
  finish(): void {
    if (this.closed) return;
    this.closed = true;
    // What was read before the end is still handed on, a response after a notification included.
    if (this.waiting) this.drain(true);
    this.buffer.clear();
    this.onclose?.();
  }
}
