/** Anything that holds a session's resources and can let them go. */
export interface Closable {
  close(): Promise<void>;
}

export interface SessionLimits {
  /** Most sessions one client (remote address + token presented) holds at once. */
  perClient: number;
  /** Most sessions in all, whoever holds them. */
  total: number;
  /** A session that sends nothing after its initialize is closed after this long. */
  pendingMs: number;
  /** A session with no request for this long is closed. */
  idleMs: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = { perClient: 64, total: 256, pendingMs: 10_000, idleMs: 30 * 60_000 };

interface Entry<T> {
  transport: T;
  client: string;
  created: number;
  lastSeen: number;
  /** True once the client sent anything after initialize (notifications/initialized, a request). */
  established: boolean;
  /** Requests being answered; a session with any is never evicted. */
  inflight: number;
}

export type CloseReason = 'never initialized' | 'idle' | 'evicted';

/**
 * The HTTP sessions, with the rules that keep a flood of initializes from locking clients
 * out: sessions that never finish initializing expire within seconds, and a client at its
 * cap (or the server at the total cap) evicts the least recently used idle session instead
 * of being refused.
 */
export class SessionTable<T extends Closable> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly limits: SessionLimits, private readonly onClose: (id: string, reason: CloseReason) => void = () => {}) {}

  get size(): number {
    return this.entries.size;
  }

  get(id: string): T | undefined {
    return this.entries.get(id)?.transport;
  }

  /**
   * Makes room for a new session of `client`, evicting as needed; false when every session
   * that would have to go is busy answering a request.
   */
  admit(client: string): boolean {
    while (this.count(client) >= this.limits.perClient) {
      if (!this.evictOne((e) => e.client === client)) return false;
    }
    while (this.entries.size >= this.limits.total) {
      if (!this.evictOne(() => true)) return false;
    }
    return true;
  }

  /** Records a session whose initialize is being answered (busy until `release`). */
  add(id: string, client: string, transport: T, now = Date.now()): void {
    this.entries.set(id, { transport, client, created: now, lastSeen: now, established: false, inflight: 1 });
  }

  /** A request for a session arrived: it is alive, initialized and busy until `release`. */
  begin(id: string, opts: { busy: boolean }, now = Date.now()): void {
    const e = this.entries.get(id);
    if (!e) return;
    e.lastSeen = now;
    e.established = true;
    if (opts.busy) e.inflight++;
  }

  /** A request for the session was answered. */
  release(id: string, now = Date.now()): void {
    const e = this.entries.get(id);
    if (!e) return;
    e.inflight = Math.max(0, e.inflight - 1);
    e.lastSeen = now;
  }

  /** Forgets a session that closed by itself (DELETE, transport closed). */
  delete(id: string): void {
    this.entries.delete(id);
  }

  /** Closes sessions that never finished initializing or stayed idle too long. */
  sweep(now = Date.now()): void {
    for (const [id, e] of this.entries) {
      if (e.inflight > 0) continue;
      if (!e.established && now - e.created > this.limits.pendingMs) this.close(id, 'never initialized');
      else if (now - e.lastSeen > this.limits.idleMs) this.close(id, 'idle');
    }
  }

  /** How often `sweep` should run for these limits. */
  sweepEveryMs(): number {
    return Math.min(60_000, Math.max(10, Math.min(this.limits.pendingMs, this.limits.idleMs) / 2));
  }

  async closeAll(): Promise<void> {
    const all = [...this.entries.values()].map((e) => e.transport);
    this.entries.clear();
    await Promise.allSettled(all.map((t) => t.close()));
  }

  private count(client: string): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.client === client) n++;
    return n;
  }

  /**
   * Evicts the idle session to lose first: the oldest one never initialized, else the least
   * recently used. While unfinished sessions are still initializing, initialized ones are
   * kept (a flood must not push out the clients that were already working).
   */
  private evictOne(match: (e: Entry<T>) => boolean): boolean {
    let pending: [string, Entry<T>] | undefined;
    let lru: [string, Entry<T>] | undefined;
    let initializing = false;
    for (const pair of this.entries) {
      const e = pair[1];
      if (!match(e)) continue;
      if (e.inflight > 0) {
        if (!e.established) initializing = true;
        continue;
      }
      if (!e.established) {
        if (!pending || e.created < pending[1].created) pending = pair;
      } else if (!lru || e.lastSeen < lru[1].lastSeen) lru = pair;
    }
    const victim = pending ?? (initializing ? undefined : lru);
    if (!victim) return false;
    this.close(victim[0], 'evicted');
    return true;
  }

  private close(id: string, reason: CloseReason): void {
    const e = this.entries.get(id);
    if (!e) return;
    this.entries.delete(id);
    this.onClose(id, reason);
    void e.transport.close().catch(() => {});
  }
}
