/**
 * A launcher whose "process" is an in-memory peer: the plugin-process state machine runs
 * against it exactly as against a real one, with no Node process started.
 */
import { RpcPeer, type RequestHandler } from '../../src/host/ipc.js';
import type { LaunchedProcess, Launcher, LaunchSpec, ProcessExit } from '../../src/host/launch/launcher.js';
import { memoryTransportPair } from '../../src/host/memory-transport.js';

export interface FakePlugin {
  tools?: Record<string, RequestHandler>;
  activate?: () => unknown;
  healthCheck?: () => { ok: boolean; detail?: string };
  /** Called on deactivate; return false to make the fake process ignore the close that follows. */
  deactivate?: () => unknown;
  /** false: the process never says it is ready. */
  ready?: boolean;
}

/** One launched fake process, for the test to crash or inspect. */
export interface FakeProcess extends LaunchedProcess {
  /** Ends the process as an exit with `code` (or `signal`) would. */
  exit(code: number | null, signal?: NodeJS.Signals | null): void;
  readonly killed: boolean;
  readonly spec: LaunchSpec;
  readonly inits: unknown[];
}

/** A launcher of fake processes running `plugin`; `launched` lists every process it started. */
export function fakeLauncher(plugin: FakePlugin): Launcher & { launched: FakeProcess[] } {
  const launched: FakeProcess[] = [];
  return {
    launched,
    async launch(spec) {
      const [hostEnd, pluginEnd] = memoryTransportPair();
      let done!: (e: ProcessExit) => void;
      const exited = new Promise<ProcessExit>((r) => (done = r));
      let gone = false;
      let ignoreClose = false;
      const inits: unknown[] = [];
      const exit = (code: number | null, signal: NodeJS.Signals | null = null) => {
        if (gone) return;
        gone = true;
        void hostEnd.close();
        // A real exit event comes after the channel closes.
        setTimeout(() => done({ code, signal }), 1);
      };
      const p: FakeProcess = {
        pid: 1000 + launched.length,
        channel: hostEnd,
        stdout: null,
        stderr: null,
        dirs: { plugin: `/fake/${spec.plugin.name}`, data: `/fake/data/${spec.plugin.name}` },
        exited,
        get hasExited() { return gone; },
        killed: false,
        spec,
        inits,
        kill() { (p as { killed: boolean }).killed = true; exit(null, 'SIGKILL'); },
        exit,
      };
      const peer = new RpcPeer(pluginEnd, {
        onClose: () => { if (!ignoreClose) exit(0); },
        handlers: {
          init: async (params) => {
            inits.push(params);
            if ((params as { activate: boolean }).activate) await plugin.activate?.();
            return { tools: Object.keys(plugin.tools ?? {}), resources: [], hooks: [], lifecycle: plugin.healthCheck ? ['healthCheck'] : [] };
          },
          tool: (params, ctx) => {
            const { name, args } = params as { name: string; args: unknown };
            const fn = plugin.tools?.[name];
            if (!fn) throw new Error(`no tool ${name}`);
            return fn(args, ctx);
          },
          health: () => plugin.healthCheck?.() ?? { ok: true },
          deactivate: async () => {
            if ((await plugin.deactivate?.()) === false) ignoreClose = true;
            return { ok: true };
          },
        },
      });
      launched.push(p);
      // Later than the host's await of launch(), as a real process's first message is.
      if (plugin.ready !== false) setTimeout(() => void peer.notify('ready', {}), 0);
      return p;
    },
  };
}
