/** The settings and shapes of a supervised plugin process, shared by the host and the state machine. */
import type { Histogram } from '../metrics.js';
import { DEFAULT_MEMORY_MB } from '../sandbox.js';
import type { CallContext } from '../call-context.js';

export type PluginState = 'idle' | 'starting' | 'running' | 'stopping' | 'failed';

export interface SupervisorOptions {
  /** Per-call timeout when the tool gives none (default 30 s). */
  callTimeoutMs: number;
  /** Time allowed to load the entry and run activate() (default 10 s). */
  startTimeoutMs: number;
  /** Stop a plugin after this long without calls; 0 never (default 5 min). */
  idleTimeoutMs: number;
  /** Time deactivate() and the exit get before the process is killed (default 2 s). */
  graceMs: number;
  /** Crashes within crashWindowMs after which the plugin is marked failed (default 3 in 60 s). */
  maxCrashes: number;
  crashWindowMs: number;
  /** First restart delay after a crash, doubled per recent crash up to backoffMaxMs. */
  backoffMs: number;
  backoffMaxMs: number;
  /** Ask healthCheck() this often while running; a failed or late answer restarts the plugin. 0: only after activate (default). */
  healthIntervalMs: number;
  /** Requests to one plugin waiting at once; more are refused (default 64). */
  maxInFlight: number;
  /** Heap cap when the manifest gives none (MiB). */
  memoryMb: number;
  /** What one plugin's output (stdout, stderr, ctx.log) may put in the log per second; more is dropped (default 64 KiB, 0 no limit). */
  outputBytesPerSec: number;
  /** PM_HOME, so declared paths into it can be refused. */
  pmHome?: string;
  /** Where declared environment variables are taken from (default process.env). */
  env: NodeJS.ProcessEnv;
}

export const DEFAULT_SUPERVISOR_OPTIONS: SupervisorOptions = {
  callTimeoutMs: 30_000,
  startTimeoutMs: 10_000,
  idleTimeoutMs: 300_000,
  graceMs: 2000,
  maxCrashes: 3,
  crashWindowMs: 60_000,
  backoffMs: 100,
  backoffMaxMs: 5000,
  healthIntervalMs: 0,
  maxInFlight: 64,
  memoryMb: DEFAULT_MEMORY_MB,
  outputBytesPerSec: 64 * 1024,
  env: process.env,
};

/** What the supervisor needs from the host: routing of plugin-to-plugin calls, events and logs. */
export interface SupervisorHostApi {
  callTool(caller: string, name: string, args: unknown): Promise<unknown>;
  emit(caller: string, event: string, value: unknown): Promise<void>;
  log(plugin: string, level: string, message: string): void;
  /** The process exited unexpectedly; `failed` when this crash marked the plugin failed. */
  crashed?(plugin: string, info: { message: string; failed: boolean }): void;
}

/** What a plugin's entry implements, as its runner reports it. */
export interface Implemented {
  tools: string[];
  resources: string[];
  hooks: string[];
  lifecycle: string[];
}

export interface CallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** The MCP request being served: its trace continues into the plugin (a span; `_meta.traceparent` for server plugins). */
  call?: CallContext;
  onProgress?: (p: { progress: number; total?: number; message?: string }) => void;
}

export interface PluginProcessStats {
  name: string;
  state: PluginState;
  pid?: number;
  starts: number;
  crashes: number;
  counters: Record<string, number>;
  latency: ReturnType<Histogram['summary']>;
  /** The raw latency histogram, only when asked for (the stats files keep it to merge runs). */
  histogram?: ReturnType<Histogram['toJSON']>;
  lastError?: string;
}
