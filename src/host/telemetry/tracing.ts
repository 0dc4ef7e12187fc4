/**
 * The tracing seam: what the host's hot paths call. It imports nothing from OpenTelemetry; when
 * telemetry is configured, start.ts loads otel.ts, which installs a Tracing here. Until then every
 * helper is one `undefined` check.
 */

export type SpanAttributes = Record<string, string | number | boolean>;

/** A started span. `context` is what CallContext.trace carries (an OTel Context). */
export interface SpanHandle {
  readonly context: unknown;
  /** Ends the span; an `error` sets `error.type` and the ERROR status. `endTime` in ms since the epoch. */
  end(error?: { type: string; message?: string }, endTime?: number): void;
}

/** What otel.ts provides. */
export interface Tracing {
  /** A SERVER span for one MCP request, continuing the `traceparent` in `meta` when there is one. */
  serverSpan(name: string, attributes: SpanAttributes, meta: unknown): SpanHandle;
  /** A span under `parent` (a CallContext.trace); `startTime` in ms since the epoch for spans recorded after the fact. */
  childSpan(parent: unknown, name: string, kind: 'client' | 'internal', attributes: SpanAttributes, startTime?: number): SpanHandle;
  /** Writes `traceparent` (and `tracestate`) of `context` into `meta` (an MCP request's params._meta). */
  inject(context: unknown, meta: Record<string, unknown>): void;
  /** Exports what is buffered and stops. */
  shutdown(): Promise<void>;
}

let active: Tracing | undefined;

/** The installed tracing, or undefined when telemetry is off. */
export function tracing(): Tracing | undefined {
  return active;
}

/** Installs (or with undefined removes) the tracing; called by start.ts. */
export function setTracing(t: Tracing | undefined): void {
  active = t;
}

/** A child span of the request `trace` (CallContext.trace), or undefined when the request is not traced. */
export function childSpan(trace: unknown, name: string, kind: 'client' | 'internal', attributes: SpanAttributes): SpanHandle | undefined {
  return trace === undefined || active === undefined ? undefined : active.childSpan(trace, name, kind, attributes);
}

/** One hook handler's run as a span under the request, recorded when it has finished (`ms` long). */
export function hookSpan(trace: unknown, event: string, plugin: string, outcome: string, ms: number, error?: string): void {
  if (trace === undefined || active === undefined) return;
  const now = performance.timeOrigin + performance.now();
  const span = active.childSpan(trace, `hook ${event} ${plugin}`, 'internal', { 'pm.hook.event': event, 'pm.plugin.name': plugin, 'pm.hook.outcome': outcome }, now - ms);
  span.end(outcome === 'error' || outcome === 'timeout' ? { type: outcome, message: error } : undefined, now);
}

/** A span for a promise's life (a hop into a plugin): ended when it settles, with `error.type` from a failure's code. */
export function spanPromise<T>(span: SpanHandle | undefined, p: Promise<T>): Promise<T> {
  if (span === undefined) return p;
  return p.then(
    (v) => (span.end(), v),
    (err: unknown) => {
      const code = (err as { code?: unknown } | null)?.code;
      span.end({ type: typeof code === 'string' || typeof code === 'number' ? String(code) : '_OTHER', message: err instanceof Error ? err.message : String(err) });
      throw err;
    },
  );
}
