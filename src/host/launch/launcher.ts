/**
 * How a plugin process is started (DESIGN §5): one interface, so the state machine in
 * host/process/ never knows whether a plugin runs under Node's permission model, in an OS
 * sandbox, or (in tests) in memory.
 */
import type { Transport } from '../ipc.js';
import type { HostPlugin } from '../manifest-types.js';

/** What to start: the plugin and the host-wide settings the sandbox depends on. */
export interface LaunchSpec {
  plugin: HostPlugin;
  /** Heap cap when the manifest gives none (MiB). */
  memoryMb: number;
  /** PM_HOME, so declared paths into it can be refused. */
  pmHome?: string;
  /** Where declared environment variables are taken from. */
  env: NodeJS.ProcessEnv;
}

/** How a process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A started plugin process, as the state machine sees it. */
export interface LaunchedProcess {
  readonly pid?: number;
  /** Host ↔ plugin messages. */
  readonly channel: Transport;
  /** The plugin's own output; never the host's stdout. */
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  /** Real paths of the plugin folder and its data folder, as the process sees them. */
  readonly dirs: { plugin: string; data: string };
  /** Settles once, when the process is gone. */
  readonly exited: Promise<ProcessExit>;
  /** True once the process has exited or been killed by a signal. */
  readonly hasExited: boolean;
  /** Kills the process at once (SIGKILL). */
  kill(): void;
}

/** Starts plugin processes. */
export interface Launcher {
  /** Starts one process for `spec`; throws a PmError when it cannot be started. */
  launch(spec: LaunchSpec): Promise<LaunchedProcess>;
}
