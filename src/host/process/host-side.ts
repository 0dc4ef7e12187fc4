/**
 * The host's side of a module plugin's channel: what the plugin may ask the host
 * (plugin-to-plugin calls, events) and what it tells it (ready, log lines, progress).
 */
import { PmError } from '../../core/errors.js';
import { RpcPeer, type Transport } from '../ipc.js';
import type { CallOptions, SupervisorHostApi } from './options.js';

export interface HostSideOptions {
  plugin: string;
  maxInFlight: number;
  api: SupervisorHostApi;
  /** Progress listeners by request id. */
  progress: ReadonlyMap<number, NonNullable<CallOptions['onProgress']>>;
  /** The runner said it is ready for `init`. */
  onReady: () => void;
}

/** Opens the protocol on `channel` and answers the plugin's requests. */
export function hostSide(channel: Transport, o: HostSideOptions): RpcPeer {
  const { plugin, api } = o;
  return new RpcPeer(channel, {
    maxInFlight: o.maxInFlight,
    maxIncoming: o.maxInFlight,
    handlers: {
      'tools.call': (p) => {
        const { name, args } = (p ?? {}) as { name?: unknown; args?: unknown };
        if (typeof name !== 'string') throw new PmError('BAD_REQUEST', 'tools.call needs a tool name');
        return api.callTool(plugin, name, args ?? {});
      },
      'hooks.emit': async (p) => {
        const { event, value } = (p ?? {}) as { event?: unknown; value?: unknown };
        if (typeof event !== 'string') throw new PmError('BAD_REQUEST', 'hooks.emit needs an event name');
        await api.emit(plugin, event, value);
        return null;
      },
    },
    onNotification: (method, params) => {
      if (method === 'ready') o.onReady();
      else if (method === 'log') {
        const { level, message } = (params ?? {}) as { level?: unknown; message?: unknown };
        api.log(plugin, typeof level === 'string' ? level : 'info', String(message));
      } else if (method === 'progress') {
        const p = (params ?? {}) as { id?: unknown; progress?: unknown; total?: unknown; message?: unknown };
        const fn = typeof p.id === 'number' ? o.progress.get(p.id) : undefined;
        if (fn && typeof p.progress === 'number') {
          fn({ progress: p.progress, ...(typeof p.total === 'number' ? { total: p.total } : {}), ...(typeof p.message === 'string' ? { message: p.message } : {}) });
        }
      }
    },
  });
}
