/** The library behind `pm hook-list`, `hook-handlers`, `hook-run` and `hook-stats`. */
import { PmError, usageError } from '../core/errors.js';
import { isBuiltinEvent, type HookKind } from '../core/hooks/events.js';
import { STORE_EVENTS } from '../core/store/events.js';
import { createHost, type HostOptions } from './host.js';
import type { HandlerOutcome } from './hooks/dispatcher.js';
import { readStats, type StatsReport } from './mcp/stats.js';

/** Who emits each built-in event, for `pm hook-list`. */
const BUILTIN_EMITTERS: Record<string, string[]> = {
  'tool:before-call': ['pm (before every tool call)'],
  'tool:after-call': ['pm (after every tool call)'],
  'prompt:before-render': ['pm (before a prompt renders)'],
  'prompt:after-render': ['pm (after a prompt renders)'],
  'resource:after-read': ['pm (after a resource is read)'],
  'server:started': ['pm serve (on start)'],
  'server:stopping': ['pm serve (on shutdown)'],
};
// The store announces plugin:* itself, after any command or library call that changed it.
for (const [operation, event] of Object.entries(STORE_EVENTS)) (BUILTIN_EMITTERS[event] ??= []).push(`pm store (${operation})`);

export interface HookEventRow {
  event: string;
  kind: HookKind;
  builtin: boolean;
  emittedBy: string[];
  handlers: number;
}

/** Every hook event (built-in and declared by enabled plugins) with its kind, emitters and handler count. */
export async function listHookEvents(opts: { home: string }): Promise<HookEventRow[]> {
  const host = await createHost({ home: opts.home, options: { persistStats: false } });
  try {
    return host.hooks.events().map((e) => ({
      event: e.event,
      kind: e.kind,
      builtin: e.builtin,
      emittedBy: e.builtin ? BUILTIN_EMITTERS[e.event] ?? ['pm'] : e.emitters,
      handlers: host.hooks.handlers(e.event).length,
    }));
  } finally {
    await host.close();
  }
}

export interface HookHandlerRow {
  plugin: string;
  priority: number;
  match?: string;
  timeoutMs: number;
}

function unknownEvent(event: string): PmError {
  return usageError(`unknown hook event "${event}"`, "'pm hook-list' shows every event: the built-ins and those enabled plugins declare", { event });
}

/** The handlers of one event in the order they run. */
export async function listHookHandlers(opts: { home: string; event: string }): Promise<{ event: string; kind: HookKind; handlers: HookHandlerRow[] }> {
  const host = await createHost({ home: opts.home, options: { persistStats: false } });
  try {
    if (!host.hooks.events().some((e) => e.event === opts.event) && host.hooks.handlers(opts.event).length === 0) throw unknownEvent(opts.event);
    return {
      event: opts.event,
      kind: host.hooks.kindOf(opts.event),
      handlers: host.hooks.handlers(opts.event).map((h) => ({ plugin: h.plugin, priority: h.priority, ...(h.match !== undefined ? { match: h.match } : {}), timeoutMs: h.timeoutMs })),
    };
  } finally {
    await host.close();
  }
}

/** Parses `--data`: JSON, or nothing (null). A parse error is a usage error. */
export function parseHookData(text: string | undefined): unknown {
  if (text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw usageError(`--data is not valid JSON: ${(err as Error).message}`, `quote it for your shell, e.g. --data '{"tool":"notes.add","arguments":{}}'`);
  }
}

export interface HookRunResult {
  event: string;
  kind: HookKind;
  value: unknown;
  denied?: { plugin: string; reason: string };
  handlers: HandlerOutcome[];
}

/** Dispatches `event` with `data` through the enabled plugins' handlers, then stops them and persists stats. */
export async function runHook(opts: { home: string; event: string; data: unknown; tool?: string; options?: HostOptions }): Promise<HookRunResult> {
  const host = await createHost({ home: opts.home, options: opts.options });
  try {
    if (!isBuiltinEvent(opts.event) && !host.hooks.events().some((e) => e.event === opts.event)) throw unknownEvent(opts.event);
    const d = opts.data as { tool?: unknown } | null;
    const tool = opts.tool ?? (d && typeof d === 'object' && typeof d.tool === 'string' ? d.tool : undefined);
    const ctx = tool ? { tool } : {};
    const r = await host.hooks.dispatch(opts.event, opts.data, ctx, { trace: true });
    return { event: opts.event, kind: host.hooks.kindOf(opts.event), value: r.value, ...(r.denied ? { denied: r.denied } : {}), handlers: r.handlers ?? [] };
  } finally {
    await host.close();
  }
}

/** The hook handler and plugin process figures of every host run in the `--since` window (default 24h), merged. */
export async function hookStats(opts: { home: string; since?: string }): Promise<Omit<StatsReport, 'tools'>> {
  const { tools: _tools, ...rest } = await readStats(opts);
  return rest;
}
