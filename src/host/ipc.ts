/**
 * The request/response protocol between the host and a plugin process. Self-contained on
 * purpose: the sandboxed runner may read only its own files, so this module imports
 * nothing from the rest of pm.
 *
 * The transport interface follows the MCP SDK's (`send`, `close`, `onmessage`,
 * `onerror`, `onclose`) so the same peer runs over the plugin channel (line-channel.ts)
 * and over an in-memory pair in unit tests.
 */

/** An error as it crosses the process boundary: a stable code and a message. */
export interface WireError {
  code: string;
  message: string;
  /** What to do next, when the error had one (a PmError from the host, passed back through a plugin). */
  hint?: string;
  data?: unknown;
}

export interface RequestMessage {
  t: 'req';
  id: number;
  method: string;
  params?: unknown;
}
export interface ResponseMessage {
  t: 'res';
  id: number;
  result?: unknown;
  error?: WireError;
}
export interface NotificationMessage {
  t: 'note';
  method: string;
  params?: unknown;
}
export type Message = RequestMessage | ResponseMessage | NotificationMessage;

/** A message channel between two peers (MCP SDK style). */
export interface Transport {
  send(message: Message): Promise<void>;
  close(): Promise<void>;
  onmessage?: (message: Message) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;
}

/** An error received from the other side, or raised by the protocol itself. */
export class IpcError extends Error {
  readonly code: string;
  readonly data?: unknown;
  readonly hint?: string;
  constructor(code: string, message: string, data?: unknown, hint?: string) {
    super(message);
    this.name = 'IpcError';
    this.code = code;
    this.data = data;
    this.hint = hint;
  }
}

/** What a plugin process answers to one `hooks` request: the shape lives with the hook rules. */
export type { HookBatchResult } from './hooks/rules.js';

/** Protocol-level error codes. */
export const IpcCode = {
  busy: 'IPC_BUSY',
  timeout: 'IPC_TIMEOUT',
  cancelled: 'IPC_CANCELLED',
  closed: 'IPC_CLOSED',
  noMethod: 'IPC_NO_METHOD',
  badMessage: 'IPC_BAD_MESSAGE',
} as const;

/** Turns anything thrown into a wire error, keeping a string `code` when the error has one. */
export function toWireError(err: unknown): WireError {
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; message?: unknown; data?: unknown; hint?: unknown };
    const code = typeof e.code === 'string' ? e.code : 'ERROR';
    const message = typeof e.message === 'string' ? e.message : String(err);
    return { code, message, ...(typeof e.hint === 'string' ? { hint: e.hint } : {}), ...(e.data === undefined ? {} : { data: e.data }) };
  }
  return { code: 'ERROR', message: String(err) };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether `m` has the shape of a protocol message (what arrives from a plugin is untrusted). */
export function isMessage(m: unknown): m is Message {
  if (!isObject(m)) return false;
  if (m.t === 'req') return Number.isSafeInteger(m.id) && typeof m.method === 'string';
  if (m.t === 'note') return typeof m.method === 'string';
  if (m.t !== 'res' || !Number.isSafeInteger(m.id)) return false;
  return m.error === undefined || (isObject(m.error) && typeof m.error.code === 'string' && typeof m.error.message === 'string');
}

export interface RequestOptions {
  /** Reject with IPC_TIMEOUT after this many milliseconds (0 or undefined: no timeout). */
  timeoutMs?: number;
  /** Aborting sends a `$/cancel` notification to the other side and rejects with IPC_CANCELLED. */
  signal?: AbortSignal;
  /** Told the request id before it is sent (to route progress notifications). */
  onId?: (id: number) => void;
}

export interface IncomingContext {
  id: number;
  /** Aborted when the other side cancels this request or the peer closes. */
  signal: AbortSignal;
}

export type RequestHandler = (params: unknown, ctx: IncomingContext) => unknown;

export interface PeerOptions {
  /** Most requests this side may have waiting for an answer; more are refused with IPC_BUSY. */
  maxInFlight?: number;
  /** Most incoming requests handled at once; more are answered with IPC_BUSY. */
  maxIncoming?: number;
  handlers?: Record<string, RequestHandler>;
  onNotification?: (method: string, params: unknown) => void;
  onClose?: () => void;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
  method: string;
  timeoutMs: number;
  /** performance.now() after which the request times out (Infinity: never). */
  deadline: number;
  cleanup?: () => void;
}

/**
 * What a handler sees of one incoming request. The AbortController behind `signal` is made
 * only when a handler reads it: most never do, and one per request was a measurable share
 * of a plugin's time per call.
 */
class Incoming implements IncomingContext {
  private controller?: AbortController;
  private aborted = false;
  constructor(readonly id: number) {}

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort();
    }
    return this.controller.signal;
  }

  abort(): void {
    this.aborted = true;
    this.controller?.abort();
  }
}

/** One side of the protocol: sends requests with ids, answers the other side's requests. */
export class RpcPeer {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly incoming = new Map<number, Incoming>();
  /** One timer for every request's timeout, armed for the earliest deadline (see expire()). */
  private timer?: ReturnType<typeof setTimeout>;
  private timerAt = Infinity;
  private readonly maxInFlight: number;
  private readonly maxIncoming: number;
  private readonly handlers: Record<string, RequestHandler>;
  private closedError?: IpcError;

  constructor(readonly transport: Transport, private readonly opts: PeerOptions = {}) {
    this.maxInFlight = opts.maxInFlight ?? 64;
    this.maxIncoming = opts.maxIncoming ?? 64;
    this.handlers = opts.handlers ?? {};
    transport.onmessage = (m) => this.receive(m);
    transport.onclose = () => {
      this.failAll(new IpcError(IpcCode.closed, 'the connection closed'));
      opts.onClose?.();
    };
  }

  /** Requests currently waiting for an answer. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Sends a request and resolves with the other side's result or rejects with its error. */
  request<T = unknown>(method: string, params?: unknown, options: RequestOptions = {}): Promise<T> {
    if (this.closedError) return Promise.reject(this.closedError);
    if (this.pending.size >= this.maxInFlight) {
      return Promise.reject(new IpcError(IpcCode.busy, `too many requests in flight (limit ${this.maxInFlight})`));
    }
    const { signal, timeoutMs } = options;
    if (signal?.aborted) return Promise.reject(new IpcError(IpcCode.cancelled, 'the request was cancelled'));
    const id = this.nextId++;
    options.onId?.(id);
    return new Promise<T>((resolve, reject) => {
      const deadline = timeoutMs && timeoutMs > 0 ? performance.now() + timeoutMs : Infinity;
      const p: Pending = { resolve: resolve as (v: unknown) => void, reject, method, timeoutMs: timeoutMs ?? 0, deadline };
      if (signal) {
        const onAbort = () => {
          this.settle(id);
          void this.notify('$/cancel', { id }).catch(() => {});
          reject(new IpcError(IpcCode.cancelled, 'the request was cancelled'));
        };
        signal.addEventListener('abort', onAbort, { once: true });
        p.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.pending.set(id, p);
      if (deadline < this.timerAt) this.armTimer(deadline);
      this.transport.send({ t: 'req', id, method, params }).catch((err) => {
        if (this.settle(id)) reject(err instanceof IpcError ? err : new IpcError(IpcCode.closed, `could not send ${method}: ${(err as Error).message}`));
      });
    });
  }

  /**
   * A timer per request cost more than the rest of a call's bookkeeping, so one timer serves
   * them all: it is armed for the earliest deadline and, when it fires, times out what is due
   * and re-arms for the next one. Requests with the same timeout arrive in deadline order, so
   * the usual call arms nothing. Unref'd: a pending request keeps the process alive through
   * its channel, not through its timeout.
   */
  private armTimer(deadline: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = deadline;
    this.timer = setTimeout(() => this.expire(), Math.max(0, deadline - performance.now()));
    this.timer.unref?.();
  }

  private expire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const [id, p] of this.pending) {
      // Timers run on the loop's millisecond clock, which can be a fraction behind performance.now().
      if (p.deadline <= now + 1) {
        this.settle(id);
        void this.notify('$/cancel', { id }).catch(() => {});
        p.reject(new IpcError(IpcCode.timeout, `no answer to ${p.method} within ${p.timeoutMs} ms`, { timeoutMs: p.timeoutMs }));
      } else if (p.deadline < next) next = p.deadline;
    }
    if (next < Infinity && next < this.timerAt) this.armTimer(next);
  }

  /** Sends a one-way notification. */
  notify(method: string, params?: unknown): Promise<void> {
    if (this.closedError) return Promise.reject(this.closedError);
    return this.transport.send({ t: 'note', method, params });
  }

  /** Rejects every waiting request with `err` and refuses new ones; incoming handlers are aborted. */
  failAll(err: IpcError): void {
    this.closedError ??= err;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    for (const [id, p] of this.pending) {
      this.settle(id);
      p.reject(err);
    }
    for (const c of this.incoming.values()) c.abort();
    this.incoming.clear();
  }

  /** Closes the transport; waiting requests fail with IPC_CLOSED. */
  async close(): Promise<void> {
    this.failAll(new IpcError(IpcCode.closed, 'the connection was closed'));
    await this.transport.close();
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    this.pending.delete(id);
    p.cleanup?.();
    return p;
  }

  private receive(m: Message): void {
    if (m.t === 'res') {
      const p = this.settle(m.id);
      if (!p) return; // answered after a timeout or cancel: dropped
      if (m.error) p.reject(new IpcError(m.error.code, m.error.message, m.error.data, m.error.hint));
      else p.resolve(m.result);
      return;
    }
    if (m.t === 'note') {
      if (m.method === '$/cancel') {
        const id = (m.params as { id?: unknown } | undefined)?.id;
        if (typeof id === 'number') this.incoming.get(id)?.abort();
        return;
      }
      this.opts.onNotification?.(m.method, m.params);
      return;
    }
    void this.answer(m);
  }

  private async answer(m: RequestMessage): Promise<void> {
    const send = (r: Omit<ResponseMessage, 't' | 'id'>) => this.transport.send({ t: 'res', id: m.id, ...r });
    // A result that cannot be sent (too large, not serialisable) is answered with why, so the caller does not wait for its timeout.
    const reply = (r: Omit<ResponseMessage, 't' | 'id'>) => send(r).catch((err) => (r.error ? undefined : send({ error: toWireError(err) }))).catch(() => {});
    const handler = Object.hasOwn(this.handlers, m.method) ? this.handlers[m.method] : undefined;
    if (!handler) return void reply({ error: { code: IpcCode.noMethod, message: `unknown method ${m.method}` } });
    if (this.incoming.size >= this.maxIncoming) {
      return void reply({ error: { code: IpcCode.busy, message: `too many requests being handled (limit ${this.maxIncoming})` } });
    }
    const inc = new Incoming(m.id);
    this.incoming.set(m.id, inc);
    try {
      const result = await handler(m.params, inc);
      await reply({ result });
    } catch (err) {
      await reply({ error: toWireError(err) });
    } finally {
      this.incoming.delete(m.id);
    }
  }
}
