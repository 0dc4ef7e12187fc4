/** What webhook-deliveries shows and webhook-redeliver does: read from the outbox and the endpoint states. */
import { PmError } from '../errors.js';
import { findEndpoint, readEndpoints, type WebhookEndpoint } from './endpoints.js';
import type { OutboxRecord } from './outbox-record.js';
import { listSegments, readSegment, type LocatedRecord } from './outbox-reader.js';
import { readEndpointState, type EndpointState } from './outbox-state.js';
import { outboxWriter } from './outbox-writer.js';

export type DeliveryStatus = 'pending' | 'retrying' | 'delivered' | 'dead';

export interface DeliveryRow {
  /** `<event id>:<endpoint id>`, for webhook-redeliver. */
  id: string;
  event: string;
  type: string;
  endpoint: string;
  url: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatus?: number;
  lastError?: string;
  /** When it finished (delivered, dead) or, for pending, when the event happened. */
  at: string;
  /** Retrying: when the next attempt is due. */
  nextAttemptAt?: string;
}

async function pendingOf(home: string, ep: WebhookEndpoint, state: EndpointState, segs: Map<string, LocatedRecord[]>): Promise<LocatedRecord[]> {
  const out: LocatedRecord[] = [];
  for (const [seg, records] of segs) {
    const from = state.offsets[seg] ?? 0;
    for (const r of records) if (r.start >= from && r.rec.to.includes(ep.id)) out.push(r);
  }
  return out.sort((a, b) => (a.rec.timestamp < b.rec.timestamp ? -1 : a.rec.timestamp > b.rec.timestamp ? 1 : 0));
}

async function readAll(home: string): Promise<Map<string, LocatedRecord[]>> {
  const segs = new Map<string, LocatedRecord[]>();
  for (const seg of await listSegments(home)) segs.set(seg, (await readSegment(home, seg)).records);
  return segs;
}

/** Undelivered events per endpoint (read-only: works while another process delivers). */
export async function pendingCounts(home: string): Promise<Record<string, number>> {
  const segs = await readAll(home);
  const out: Record<string, number> = {};
  for (const ep of await readEndpoints(home)) {
    const n = (await pendingOf(home, ep, await readEndpointState(home, ep.id), segs)).length;
    if (n) out[ep.id] = n;
  }
  return out;
}

/** Deliveries, newest first: pending and retrying ones, then the recorded outcomes; `failed` keeps retrying and dead ones. */
export async function listDeliveries(home: string, opts: { failed?: boolean; limit?: number } = {}): Promise<DeliveryRow[]> {
  const segs = await readAll(home);
  const rows: DeliveryRow[] = [];
  for (const ep of await readEndpoints(home)) {
    const state = await readEndpointState(home, ep.id);
    const base = { endpoint: ep.id, url: ep.url };
    for (const h of state.history) {
      rows.push({ ...base, id: `${h.id}:${ep.id}`, event: h.id, type: h.type, status: h.status, attempts: h.attempts, lastStatus: h.lastStatus, lastError: h.lastError, at: h.at });
    }
    for (const r of await pendingOf(home, ep, state, segs)) {
      const head = state.head?.id === r.rec.id ? state.head : undefined;
      rows.push({
        ...base, id: `${r.rec.id}:${ep.id}`, event: r.rec.id, type: r.rec.type, status: head ? 'retrying' : 'pending', attempts: head?.attempts ?? 0,
        lastStatus: head?.lastStatus, lastError: head?.lastError, at: r.rec.timestamp, ...(head ? { nextAttemptAt: new Date(head.nextAttemptAt).toISOString() } : {}),
      });
    }
  }
  const shown = opts.failed ? rows.filter((r) => r.status === 'dead' || r.status === 'retrying') : rows;
  shown.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return opts.limit ? shown.slice(0, opts.limit) : shown;
}

/** Queues one delivery again, with the same webhook-id, for its endpoint only. */
export async function redeliver(home: string, deliveryId: string): Promise<{ id: string; event: OutboxRecord; endpoint: string }> {
  const [event, endpoint] = deliveryId.split(':');
  const unknown = (why: string) => new PmError('WEBHOOK_DELIVERY_UNKNOWN', `no delivery ${deliveryId}: ${why}`, { hint: "see the deliveries and their ids with 'pm webhook-deliveries'", data: { id: deliveryId } });
  if (!event || !endpoint) throw unknown('a delivery id is <event id>:<endpoint id>');
  const ep = findEndpoint(await readEndpoints(home), endpoint);
  const state = await readEndpointState(home, ep.id);
  let rec = state.dead.find((d) => d.id === event)?.rec;
  if (!rec) {
    const h = [...state.history].reverse().find((x) => x.id === event);
    if (!h) throw unknown(`${ep.id} has no finished delivery of ${event}`);
    const found = (await readSegment(home, h.seg, h.start)).records[0];
    if (!found || found.rec.id !== event) throw unknown(`the event ${event} is no longer kept in the outbox`);
    rec = found.rec;
  }
  const again: OutboxRecord = { id: rec.id, type: rec.type, timestamp: rec.timestamp, data: rec.data, to: [ep.id], redelivery: true };
  await outboxWriter(home).append([again]);
  return { id: deliveryId, event: again, endpoint: ep.id };
}
