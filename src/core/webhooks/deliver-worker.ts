/**
 * The delivery worker: sends each endpoint's events in order (one at a time per endpoint,
 * endpoints in parallel), retries on the schedule, dead-letters exhausted events, and
 * records progress in the endpoint state files. At-least-once: progress is written shortly
 * after a delivery, so a crash in between sends that event again, never loses it.
 */
import { agentsAndPolicy, type WorkerEndpoint, type WorkerOptions } from './deliver-types.js';
import { postWebhook } from './deliver-http.js';
import { readEndpoints } from './endpoints.js';
import { webhookBody } from './outbox-record.js';
import { listSegments, readSegment, type LocatedRecord } from './outbox-reader.js';
import { readEndpointState, removeEndpointState, writeEndpointState, HISTORY_MAX } from './outbox-state.js';
import { outboxWriter } from './outbox-writer.js';
import { flushDelay, isExhausted, retryDelay } from './retry-schedule.js';
import { webhookHeaders } from './signature.js';
import { compactSegments } from './outbox-compact.js';

export type { WorkerOptions };

const key = (r: LocatedRecord) => `${r.seg}:${r.start}`;
const order = (a: LocatedRecord, b: LocatedRecord) => (a.rec.timestamp < b.rec.timestamp ? -1 : a.rec.timestamp > b.rec.timestamp ? 1 : a.seg < b.seg ? -1 : a.seg > b.seg ? 1 : a.start - b.start);

export class DeliveryWorker {
  private readonly eps = new Map<string, WorkerEndpoint>();
  /** Per segment: bytes parsed and the records found. */
  private readonly segs = new Map<string, { read: number; records: LocatedRecord[] }>();
  private readonly abort = new AbortController();
  private readonly x;
  private persistTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly home: string, private readonly opts: WorkerOptions) {
    this.x = agentsAndPolicy(opts);
  }

  /** Events not yet delivered or dead-lettered, per endpoint. */
  pending(): Record<string, number> {
    return Object.fromEntries([...this.eps.values()].map((e) => [e.ep.id, e.queue.length]));
  }

  /** Re-reads the endpoints and any new lines of the outbox; queues what each endpoint has not had. */
  async scan(): Promise<void> {
    const endpoints = await readEndpoints(this.home);
    for (const [id, e] of this.eps) {
      if (!endpoints.some((ep) => ep.id === id)) {
        this.eps.delete(id);
        e.wake();
        await removeEndpointState(this.home, id);
      }
    }
    const fresh: WorkerEndpoint[] = [];
    for (const ep of endpoints) {
      const known = this.eps.get(ep.id);
      if (known) known.ep = ep;
      else {
        const e = this.newEndpoint(ep, await readEndpointState(this.home, ep.id));
        this.eps.set(ep.id, e);
        fresh.push(e);
      }
    }
    const added = new Map<WorkerEndpoint, LocatedRecord[]>();
    for (const seg of await listSegments(this.home)) {
      let s = this.segs.get(seg);
      if (!s) this.segs.set(seg, (s = { read: 0, records: [] }));
      // Endpoints seen for the first time take the records already parsed into account too.
      for (const e of fresh) for (const r of s.records) this.offer(e, r, added);
      const r = await readSegment(this.home, seg, s.read);
      s.read = r.end;
      s.records.push(...r.records);
      for (const e of this.eps.values()) for (const rec of r.records) this.offer(e, rec, added);
    }
    for (const [e, list] of added) {
      e.queue.push(...list);
      e.queue.sort(order);
      e.wake();
    }
    const removed = await compactSegments(this.home, this.segs, [...this.eps.values()], outboxWriter(this.home).segment);
    if (removed) this.schedulePersist();
    // Records no endpoint waits for are not needed again (a later endpoint is never addressed by them): free them.
    for (const [seg, s] of this.segs) {
      if (s.records.length && ![...this.eps.values()].some((e) => (e.pendingBySeg.get(seg)?.length ?? 0) > 0)) s.records = [];
    }
  }

  private offer(e: WorkerEndpoint, r: LocatedRecord, added: Map<WorkerEndpoint, LocatedRecord[]>): void {
    if (!r.rec.to.includes(e.ep.id) || r.start < (e.state.offsets[r.seg] ?? 0) || e.keys.has(key(r))) return;
    e.keys.add(key(r));
    const bySeg = e.pendingBySeg.get(r.seg) ?? [];
    bySeg.push(r.start);
    e.pendingBySeg.set(r.seg, bySeg);
    if (!added.has(e)) added.set(e, []);
    added.get(e)!.push(r);
  }

  private newEndpoint(ep: WorkerEndpoint['ep'], state: WorkerEndpoint['state']): WorkerEndpoint {
    const e: WorkerEndpoint = {
      ep, state, queue: [], keys: new Set(), pendingBySeg: new Map(), dirty: false, failuresThisRun: 0,
      wake: () => {
        const w = e.waiter;
        e.waiter = undefined;
        w?.();
      },
    };
    return e;
  }

  /** Runs every endpoint's queue until stop() (serve), or until they are empty (flush). */
  async run(): Promise<void> {
    const running = new Map<string, Promise<void>>();
    const startLoops = () => {
      for (const e of this.eps.values()) {
        if (!running.has(e.ep.id)) running.set(e.ep.id, this.loop(e).finally(() => running.delete(e.ep.id)));
      }
    };
    this.startLoops = startLoops;
    startLoops();
    if (this.opts.mode === 'flush') {
      while (running.size) await Promise.race(running.values());
      return;
    }
    const offAppend = outboxWriter(this.home).onAppend(() => void this.rescan(startLoops));
    const poll = setInterval(() => void this.rescan(startLoops), this.opts.pollMs ?? 1000);
    poll.unref();
    await new Promise<void>((resolve) => this.abort.signal.addEventListener('abort', () => resolve(), { once: true }));
    clearInterval(poll);
    offAppend();
    await Promise.allSettled(running.values());
  }

  private startLoops?: () => void;

  /** Looks at the outbox now (serve: events just appended by this process are queued at once). */
  refresh(): Promise<void> {
    return this.rescan(() => this.startLoops?.());
  }

  private scanning?: Promise<void>;
  private rescanAgain = false;

  private async rescan(after: () => void): Promise<void> {
    if (this.scanning) {
      this.rescanAgain = true;
      return this.scanning;
    }
    do {
      this.rescanAgain = false;
      this.scanning = this.scan().catch((err) => this.opts.log?.('warn', `webhooks: reading the outbox failed: ${(err as Error).message}`));
      await this.scanning;
      this.scanning = undefined;
      if (!this.stopped) after();
    } while (this.rescanAgain && !this.stopped);
  }

  private async loop(e: WorkerEndpoint): Promise<void> {
    while (!this.stopped && this.eps.get(e.ep.id) === e) {
      const item = e.queue[0];
      if (!item) {
        if (this.opts.mode === 'flush') return;
        await this.sleep(e, 60_000);
        continue;
      }
      const head = e.state.head?.id === item.rec.id ? e.state.head : undefined;
      const wait = head ? head.nextAttemptAt - Date.now() : 0;
      if (wait > 0) {
        await this.sleep(e, wait);
        continue;
      }
      await this.attempt(e, item);
    }
  }

  private sleep(e: WorkerEndpoint, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => { e.waiter = undefined; resolve(); }, ms);
      e.waiter = () => { clearTimeout(t); resolve(); };
    });
  }

  private async attempt(e: WorkerEndpoint, item: LocatedRecord): Promise<void> {
    const { ep } = e;
    const body = webhookBody(item.rec, ep.includePayloads);
    const started = performance.now();
    const r = await postWebhook(ep.url, body, webhookHeaders(ep.secret, item.rec.id, body), { timeoutMs: this.x.policy.timeoutMs, agents: this.x.agents, signal: this.abort.signal });
    if (this.stopped && !r.ok) return;
    const now = Date.now();
    const head = e.state.head?.id === item.rec.id ? e.state.head : { id: item.rec.id, attempts: 0, firstAttemptAt: now, nextAttemptAt: now };
    head.attempts++;
    head.lastStatus = r.status;
    head.lastError = r.error;
    const deadLettered = !r.ok && isExhausted(this.x.policy, head.attempts, head.firstAttemptAt, now);
    this.opts.onAttempt?.({ endpoint: ep.id, id: item.rec.id, type: item.rec.type, ok: r.ok, status: r.status, error: r.error, ms: performance.now() - started, deadLettered });
    if (r.ok) {
      e.failuresThisRun = 0;
      this.finish(e, item, head, 'delivered');
    } else if (deadLettered) {
      this.opts.log?.('warn', `webhooks: ${item.rec.id} (${item.rec.type}) to ${ep.url} dead-lettered after ${head.attempts} attempts: ${r.error}`);
      this.finish(e, item, head, 'dead');
    } else {
      e.failuresThisRun++;
      const scheduled = retryDelay(this.x.policy, head.attempts);
      // webhook-flush waits less than the schedule, never more.
      head.nextAttemptAt = now + (this.opts.mode === 'flush' ? Math.min(scheduled, flushDelay(e.failuresThisRun)) : scheduled);
      e.state.head = head;
      e.dirty = true;
      this.schedulePersist();
    }
  }

  private finish(e: WorkerEndpoint, item: LocatedRecord, head: NonNullable<WorkerEndpoint['state']['head']>, status: 'delivered' | 'dead'): void {
    const k = key(item);
    const i = e.queue.findIndex((q) => key(q) === k);
    if (i >= 0) e.queue.splice(i, 1);
    e.keys.delete(k);
    const bySeg = e.pendingBySeg.get(item.seg) ?? [];
    const j = bySeg.indexOf(item.start);
    if (j >= 0) bySeg.splice(j, 1);
    // Done up to the first event of this segment still waiting (or all that was read).
    e.state.offsets[item.seg] = bySeg[0] ?? this.segs.get(item.seg)?.read ?? item.end;
    const outcome = { id: item.rec.id, type: item.rec.type, status, attempts: head.attempts, lastStatus: head.lastStatus, lastError: head.lastError, at: new Date().toISOString(), seg: item.seg, start: item.start };
    e.state.history.push(outcome);
    if (e.state.history.length > HISTORY_MAX) e.state.history.splice(0, e.state.history.length - HISTORY_MAX);
    e.state.dead = e.state.dead.filter((d) => d.id !== item.rec.id);
    if (status === 'dead') e.state.dead.push({ ...outcome, rec: item.rec });
    e.state.head = undefined;
    e.dirty = true;
    this.schedulePersist();
  }

  private schedulePersist(): void {
    this.persistTimer ??= setTimeout(() => {
      this.persistTimer = undefined;
      void this.persist().catch((err) => this.opts.log?.('warn', `webhooks: saving delivery state failed: ${(err as Error).message}`));
    }, this.opts.persistMs ?? 100);
  }

  /** Writes the state of every endpoint that changed. */
  async persist(): Promise<void> {
    for (const e of this.eps.values()) {
      if (!e.dirty) continue;
      e.dirty = false;
      // Segments no endpoint still needs are gone: keep their offsets out of the file.
      for (const seg of Object.keys(e.state.offsets)) if (!this.segs.has(seg)) delete e.state.offsets[seg];
      await writeEndpointState(this.home, e.ep.id, e.state);
    }
  }

  /** Stops the loops (an attempt in flight is cut off and retried later) and saves the state. */
  async stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      this.abort.abort();
      for (const e of this.eps.values()) e.wake();
    }
    clearTimeout(this.persistTimer);
    this.persistTimer = undefined;
    await this.persist();
    this.x.agents.destroy();
  }
}
