import { PmError } from '../../core/errors.js';
import { IpcCode, IpcError } from '../ipc.js';

/**
 * Turns a protocol or plugin error into the PmError the caller sees. A closed channel is the
 * caller's to explain (it waits for the exit to say why), so it is not handled here.
 */
export function callError(plugin: string, err: unknown, what: string, timeoutMs: number): PmError {
  if (!(err instanceof IpcError)) return err instanceof PmError ? err : new PmError('PLUGIN_ERROR', `${plugin}: ${(err as Error).message}`, { data: { plugin } });
  switch (err.code) {
    case IpcCode.timeout:
      return new PmError('PLUGIN_TIMEOUT', `${what} timed out after ${timeoutMs} ms; plugin ${plugin} was stopped and restarts on next use`, {
        hint: 'raise the tool\'s timeoutMs in plugin.json if the work is legitimately slow', data: { plugin, timeoutMs },
      });
    case IpcCode.cancelled:
      return new PmError('CANCELLED', `${what} was cancelled`, { data: { plugin } });
    case IpcCode.busy:
      return new PmError('PLUGIN_BUSY', `plugin ${plugin} has too many calls in flight`, { hint: 'retry later', data: { plugin } });
    default:
      return PmError.fromPlugin(err.code === 'ERROR' ? 'PLUGIN_ERROR' : err.code, `${plugin}: ${err.message}`, {
        ...(err.hint ? { hint: err.hint } : {}),
        data: { plugin, ...(err.data !== undefined ? { detail: err.data } : {}) },
      });
  }
}
