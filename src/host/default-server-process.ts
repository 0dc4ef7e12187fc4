/** The host's default server process factory. */
import { PmError } from '../core/errors.js';
import type { HostPlugin } from './manifest-types.js';
import type { PluginState } from './process/options.js';
import type { ServerProcessEvents, ServerProcessLike } from './server/types.js';

/** Until the real ServerProcess lands: every use reports that server plugins cannot start yet. */
export function defaultServerProcess(plugin: HostPlugin, _events: ServerProcessEvents): ServerProcessLike {
  const refuse = () => Promise.reject(new PmError('PLUGIN_START_FAILED', `server plugin ${plugin.name} cannot be started by this pm yet`, { data: { plugin: plugin.name } }));
  return {
    name: plugin.name,
    state: 'idle' as PluginState,
    catalog: refuse, callTool: refuse, readResource: refuse, getPrompt: refuse,
    health: async () => ({ ok: false, detail: 'server plugins cannot be started by this pm yet' }),
    stats: () => ({ name: plugin.name, state: 'idle', starts: 0, crashes: 0, counters: {}, latency: { count: 0 } as never }),
    stop: async () => {},
  };
}
