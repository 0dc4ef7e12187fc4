/** The host's default server process: the real ServerProcess, loaded on first use. */
import type { HostPlugin } from './manifest-types.js';
import { Histogram } from './metrics.js';
import type { CallOptions, PluginProcessStats, PluginState, SupervisorHostApi, SupervisorOptions } from './process/options.js';
import type { ServerCatalog, ServerProcessEvents, ServerProcessLike } from './server/types.js';

/**
 * A ServerProcessLike that loads server/server-process.js (and the SDK's Client) only when the
 * server is first used, so hosts that never start a server plugin never pay for loading it.
 */
class LazyServerProcess implements ServerProcessLike {
  private real?: ServerProcessLike;
  private loading?: Promise<ServerProcessLike>;
  readonly name: string;

  constructor(private readonly plugin: HostPlugin, private readonly options: SupervisorOptions, private readonly deps: { log: SupervisorHostApi['log']; events: ServerProcessEvents }) {
    this.name = plugin.name;
  }

  get state(): PluginState {
    return this.real?.state ?? 'idle';
  }

  private load(): Promise<ServerProcessLike> {
    this.loading ??= import('./server/server-process.js').then((m) => (this.real = new m.ServerProcess(this.plugin, this.options, this.deps)));
    return this.loading;
  }

  async catalog(): Promise<ServerCatalog> {
    return (await this.load()).catalog();
  }

  callTool(tool: string, args: Record<string, unknown>, options?: CallOptions) {
    // Once loaded, a call goes straight through: no await of the load on every call.
    if (this.real) return this.real.callTool(tool, args, options);
    return this.load().then((real) => real.callTool(tool, args, options));
  }

  async readResource(uri: string, options?: CallOptions) {
    return (await this.load()).readResource(uri, options);
  }

  async getPrompt(name: string, args: Record<string, string>, options?: CallOptions) {
    return (await this.load()).getPrompt(name, args, options);
  }

  async health() {
    return (await this.load()).health();
  }

  stats(withHistogram?: boolean): PluginProcessStats {
    if (this.real) return this.real.stats(withHistogram);
    const latency = new Histogram();
    return { name: this.name, state: 'idle', starts: 0, crashes: 0, counters: {}, latency: latency.summary(), ...(withHistogram ? { histogram: latency.toJSON() } : {}) };
  }

  async stop(): Promise<void> {
    await this.real?.stop();
  }
}

/** The real server process of `plugin` under the host's supervisor settings. */
export function defaultServerProcess(plugin: HostPlugin, events: ServerProcessEvents, options: SupervisorOptions, log: SupervisorHostApi['log']): ServerProcessLike {
  return new LazyServerProcess(plugin, options, { log, events });
}
