/**
 * Delivery state of one endpoint (outbox/state/<endpoint>.json, written atomically): how far
 * each segment is done, the attempts at the event in front, recent outcomes, dead letters.
 * Written by the one delivering process; read by anyone.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../fs/atomic-write.js';
import type { OutboxRecord } from './outbox-record.js';
import { webhookPaths } from './paths.js';

/** The attempts at the event an endpoint waits on. */
export interface HeadState {
  id: string;
  attempts: number;
  firstAttemptAt: number;
  nextAttemptAt: number;
  lastStatus?: number;
  lastError?: string;
}

/** A finished delivery, kept for webhook-deliveries and webhook-redeliver. */
export interface DeliveryOutcome {
  id: string;
  type: string;
  status: 'delivered' | 'dead';
  attempts: number;
  lastStatus?: number;
  lastError?: string;
  at: string;
  /** Where the event lies, while its segment is kept. */
  seg: string;
  start: number;
}

export interface EndpointState {
  version: 1;
  /** Per segment: bytes handled (delivered, dead-lettered, or not for this endpoint). */
  offsets: Record<string, number>;
  head?: HeadState;
  /** The latest outcomes, newest last (capped). */
  history: DeliveryOutcome[];
  /** Every dead letter with its event, until redelivered. */
  dead: Array<DeliveryOutcome & { rec: OutboxRecord }>;
}

export const HISTORY_MAX = 1000;

function stateFile(home: string, endpoint: string): string {
  return join(webhookPaths(home).state, `${endpoint}.json`);
}

/** An endpoint's state; empty when never written. An unreadable file starts over (events are delivered again, never lost). */
export async function readEndpointState(home: string, endpoint: string): Promise<EndpointState> {
  try {
    const v = JSON.parse(await readFile(stateFile(home, endpoint), 'utf8')) as EndpointState;
    if (v && typeof v.offsets === 'object' && Array.isArray(v.history) && Array.isArray(v.dead)) return v;
  } catch {
    // Missing, or (impossible with atomic writes) damaged: fall through.
  }
  return { version: 1, offsets: {}, history: [], dead: [] };
}

/** Writes an endpoint's state atomically. */
export async function writeEndpointState(home: string, endpoint: string, state: EndpointState): Promise<void> {
  await writeJsonAtomic(stateFile(home, endpoint), state, { mode: 0o600 });
}

/** Drops the state of a removed endpoint. */
export async function removeEndpointState(home: string, endpoint: string): Promise<void> {
  await rm(stateFile(home, endpoint), { force: true });
}
