/**
 * The one place a server plugin's program is spawned (the OS sandbox wraps this function):
 * the resolved command with exactly the environment it is given, stdin/stdout/stderr as
 * pipes, in a process group of its own so a stop also reaches what it started (npx, uvx).
 */
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { PmError } from '../../core/errors.js';
import type { HostPlugin } from '../manifest-types.js';
import type { ProcessExit } from './launcher.js';
import { resolveCommand } from './resolve-command.js';
import { serverCommand } from './bwrap/server-command.js';

/** What to run: a server command after substitution (core/server/substitute.ts) and its whole environment. */
export interface CommandSpec {
  command: string;
  args: string[];
  /** The complete environment of the program: nothing else is inherited. */
  env: Record<string, string>;
  cwd: string;
}

/** A spawned program. */
export interface SpawnedCommand {
  readonly pid?: number;
  readonly stdin: Writable;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Settles once, when the program is gone (code null, signal null: it could not be spawned). */
  readonly exited: Promise<ProcessExit & { error?: string }>;
  readonly hasExited: boolean;
  /** Signals the program's process group (default SIGKILL). */
  kill(signal?: NodeJS.Signals): void;
}

/** Whom a command is for: what a sandboxing spawn builds its policy from (the plain spawn ignores it). */
export interface SpawnContext {
  plugin: HostPlugin;
  /** Real paths of the plugin folder and its data folder. */
  pluginDir: string;
  dataDir: string;
  /** PM_HOME, so paths into it can be refused. */
  pmHome?: string;
}

/** A function that spawns a command; the sandbox supplies its own with the same shape. */
export type SpawnCommand = (spec: CommandSpec, context?: SpawnContext) => Promise<SpawnedCommand>;

/** Spawns `spec` with piped stdio after resolving its command (SERVER_COMMAND_NOT_FOUND when missing). */
export const spawnCommand: SpawnCommand = async (spec, context) => {
  const file = await resolveCommand(spec.command, { cwd: spec.cwd, path: spec.env.PATH });
  // A plugin's program runs under its policy: in bubblewrap, or unsandboxed only with full trust.
  const run = context ? serverCommand(file, { args: spec.args, env: spec.env, cwd: spec.cwd }, context) : { file, args: spec.args, env: spec.env, cwd: spec.cwd };
  let child;
  try {
    child = spawn(run.file, run.args, { cwd: run.cwd, env: run.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  } catch (err) {
    throw new PmError('PLUGIN_START_FAILED', `could not start ${file}: ${(err as Error).message}`, { data: { command: file } });
  }
  const pid = child.pid;
  const group = (signal: NodeJS.Signals) => {
    try {
      if (pid !== undefined) process.kill(-pid, signal);
    } catch {
      // The group is gone (or never formed): signal the child itself.
      try { child.kill(signal); } catch { /* already gone */ }
    }
  };
  let done = false;
  const exited = new Promise<ProcessExit & { error?: string }>((r) => {
    child.once('exit', (code, signal) => {
      done = true;
      // What the program left behind in its group (a server under npx) goes with it.
      group('SIGKILL');
      r({ code, signal });
    });
    // A program that could not be spawned at all never emits 'exit'.
    child.once('error', (err) => {
      if (pid === undefined) { done = true; r({ code: null, signal: null, error: err.message }); }
    });
  });
  // Writes to a program that has gone fail with EPIPE; its exit is reported through `exited`.
  child.stdin.on('error', () => {});
  const handle: SpawnedCommand = {
    pid,
    stdin: child.stdin,
    stdout: child.stdout,
    stderr: child.stderr,
    exited,
    get hasExited() { return done || child.exitCode !== null || child.signalCode !== null; },
    kill(signal: NodeJS.Signals = 'SIGKILL') { if (!handle.hasExited) group(signal); },
  };
  return handle;
};
