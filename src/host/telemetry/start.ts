/**
 * Turns telemetry export on for this process when configured: only then is the OpenTelemetry
 * SDK imported (otel.ts, dynamically). Unconfigured, pm loads none of it.
 */
import { telemetryConfig, type TelemetryConfig } from './config.js';
import { setTracing } from './tracing.js';

/** The longest a stop waits for the last export. */
const SHUTDOWN_WAIT_MS = 3000;

export interface TelemetryHandle {
  /** What was configured (undefined: nothing is exported). */
  config?: TelemetryConfig;
  /** Sends what is buffered and stops exporting. */
  shutdown(): Promise<void>;
}

/** Starts OTLP export of traces and metrics when `--otlp` or the OTEL_* variables ask for it. */
export async function startTelemetry(opts: { otlp?: string; version?: string; env?: NodeJS.ProcessEnv } = {}): Promise<TelemetryHandle> {
  const config = telemetryConfig(opts);
  if (!config) return { shutdown: async () => {} };
  const { startOtel } = await import('./otel.js');
  const otel = startOtel(config);
  setTracing(otel.tracing);
  return {
    config,
    shutdown: async () => {
      setTracing(undefined);
      // A collector that does not answer must not hold pm's exit for the exporter's full timeout.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([otel.shutdown(), new Promise<void>((r) => (timer = setTimeout(r, SHUTDOWN_WAIT_MS)))]);
      clearTimeout(timer);
    },
  };
}
