/** The host's default log sink, and the reading of server plugins' pins before they are registered. */
import { readPin, type ToolPin } from '../core/store/pins.js';
import type { HostOptions } from './host-types.js';
import type { HostPlugin } from './manifest-types.js';
import { escapeControl } from './log-text.js';

/** Writes `[plugin] level: message` to stderr, control characters escaped. */
export function defaultLog(entry: { plugin?: string; level: string; message: string }): void {
  process.stderr.write(`${entry.plugin ? `[${entry.plugin}] ` : ''}${entry.level === 'stdout' || entry.level === 'stderr' || entry.level === 'info' ? '' : entry.level + ': '}${escapeControl(entry.message)}\n`);
}

/** The pins of the server plugins among `plugins`; a plugin whose pin cannot be read is left out (logged). */
export async function readServerPins(home: string | undefined, plugins: HostPlugin[], log: NonNullable<HostOptions['log']>): Promise<{ pins: Map<string, ToolPin | undefined>; failed: { plugin: string; message: string }[] }> {
  const pins = new Map<string, ToolPin | undefined>();
  const failed: { plugin: string; message: string }[] = [];
  for (const p of plugins) {
    if (p.kind !== 'server' || p.enabled === false) continue;
    try {
      pins.set(p.name, home ? await readPin(home, p.name) : undefined);
    } catch (err) {
      const message = `${(err as Error).message}; the plugin is not served until the pin is fixed or moved aside`;
      failed.push({ plugin: p.name, message });
      log({ plugin: p.name, level: 'error', message });
    }
  }
  return { pins, failed };
}

