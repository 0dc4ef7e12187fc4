/** Shapes shared by the delivery worker and its helpers. */
import { createAgents, type Agents } from './deliver-http.js';
import type { WebhookEndpoint } from './endpoints.js';
import type { LocatedRecord } from './outbox-reader.js';
import type { EndpointState } from './outbox-state.js';
import { retryPolicy, type RetryPolicy } from './retry-schedule.js';

export interface WorkerOptions extends Partial<RetryPolicy> {
  /** serve: run until stopped, retrying on the schedule; flush: until every queue is empty, with a short backoff. */
  mode: 'serve' | 'flush';
  /** serve: how often the outbox is looked at for events of other processes (default 1 s). */
  pollMs?: number;
  /** Progress is written at most this often (default 100 ms). */
  persistMs?: number;
  log?: (level: 'info' | 'warn', message: string) => void;
  /** Told of every attempt (metrics, tests). */
  onAttempt?: (a: { endpoint: string; id: string; type: string; ok: boolean; status?: number; error?: string; ms: number; deadLettered: boolean }) => void;
}

/** One endpoint as the worker runs it. */
export interface WorkerEndpoint {
  ep: WebhookEndpoint;
  state: EndpointState;
  /** Events to send, in order. */
  queue: LocatedRecord[];
  keys: Set<string>;
  /** Per segment, the starts of its queued events (ascending): the offset stops at the first. */
  pendingBySeg: Map<string, number[]>;
  dirty: boolean;
  failuresThisRun: number;
  waiter?: () => void;
  wake(): void;
}

/** The worker's connection agents and retry policy. */
export function agentsAndPolicy(o: WorkerOptions): { agents: Agents; policy: RetryPolicy } {
  return { agents: createAgents(), policy: retryPolicy(o) };
}
