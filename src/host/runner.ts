/**
 * The child entry of a plugin process (DESIGN §5): loads one plugin's entry module inside
 * Node's permission model and answers the host's requests over its channel on fd 3. It may
 * read only its own files (this one, ipc.js, line-channel.js and hooks/rules.js), so it imports nothing else from pm.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ErrorCode } from '../core/error-codes.js';
import { Socket } from 'node:net';
import { IpcError, RpcPeer, type IncomingContext } from './ipc.js';
import { LineTransport } from './line-channel.js';
import { runAll, runChain, type HookBatchParams, type HookBatchResult, type HookIo, type RuleHandler } from './hooks/rules.js';

// A sibling plugin must not be able to open an inspector on this process either.
process.on('SIGUSR1', () => {});

type Fn = (...args: unknown[]) => unknown;
interface PluginModule {
  activate?: Fn;
  deactivate?: Fn;
  healthCheck?: Fn;
  tools?: Record<string, Fn>;
  resources?: Record<string, Fn>;
  hooks?: Record<string, Fn>;
}

interface InitParams {
  name: string;
  version: string;
  dir: string;
  main: string;
  dataDir: string;
  config: Record<string, unknown>;
  /** false: only load the entry and report what it implements (plugin-validate). */
  activate: boolean;
}

/** One handler of the stretch the host sent: its manifest entry's settings, and its own abort signal. */
interface SentHandler extends RuleHandler {
  readonly index: number;
  ac?: AbortController;
}

let plugin: PluginModule | undefined;
let baseCtx: Record<string, unknown> | undefined;
const lifetime = new AbortController();

function fail(code: ErrorCode, message: string): never {
  throw new IpcError(code, message);
}

function own<T>(obj: Record<string, T> | undefined, key: string): T | undefined {
  return obj && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

function names(obj: unknown): string[] {
  return obj && typeof obj === 'object' ? Object.keys(obj).filter((k) => typeof (obj as Record<string, unknown>)[k] === 'function') : [];
}

/** Tool results follow MCP's CallToolResult; a string or other value is wrapped. */
function toToolResult(v: unknown): unknown {
  if (v && typeof v === 'object' && Array.isArray((v as { content?: unknown }).content)) return v;
  if (typeof v === 'string') return { content: [{ type: 'text', text: v }] };
  if (v === undefined) return { content: [] };
  return { content: [{ type: 'text', text: JSON.stringify(v) }], ...(typeof v === 'object' && v !== null && !Array.isArray(v) ? { structuredContent: v } : {}) };
}

// The host's channel is fd 3 (an extra pipe, newline-delimited JSON; see line-channel.ts).
const peer: RpcPeer = new RpcPeer(new LineTransport(new Socket({ fd: 3, readable: true, writable: true })), {
  maxInFlight: 64,
  maxIncoming: 256,
  onClose: () => {
    lifetime.abort();
    // The host is gone: nothing may outlive it.
    setTimeout(() => process.exit(0), 50).unref();
  },
  handlers: {
    async init(raw) {
      const p = raw as InitParams;
      const entry = resolve(p.dir, p.main);
      const rel = relative(p.dir, entry);
      if (rel.startsWith('..') || isAbsolute(rel)) fail('ENTRY_OUTSIDE', `main "${p.main}" points outside the plugin folder`);
      let mod: Record<string, unknown>;
      try {
        mod = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
      } catch (err) {
        fail('ENTRY_LOAD_FAILED', `cannot load ${p.main}: ${(err as Error).message}`);
      }
      const def = (mod.default ?? mod) as PluginModule;
      if (!def || typeof def !== 'object') fail('ENTRY_INVALID', `${p.main} must export an object (export default { tools: { … } })`);
      plugin = def;
      const implemented = {
        tools: names(def.tools),
        resources: names(def.resources),
        hooks: names(def.hooks),
        lifecycle: (['activate', 'deactivate', 'healthCheck'] as const).filter((k) => typeof def[k] === 'function'),
      };
      if (!p.activate) return implemented;
      const log = (level: string) => (message: unknown, data?: unknown) =>
        void peer.notify('log', { level, message: String(message), data }).catch(() => {});
      baseCtx = {
        name: p.name,
        version: p.version,
        config: p.config,
        dataDir: p.dataDir,
        log: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
        hooks: { emit: (event: string, value?: unknown) => peer.request('hooks.emit', { event, value }) },
        tools: { call: (name: string, args?: unknown) => peer.request('tools.call', { name, args: args ?? {} }) },
        signal: lifetime.signal,
      };
      if (typeof def.activate === 'function') {
        try {
          await def.activate(baseCtx);
        } catch (err) {
          fail('ACTIVATE_FAILED', `activate() threw: ${(err as Error)?.message ?? String(err)}`);
        }
      }
      return implemented;
    },

    async tool(raw, inc: IncomingContext) {
      const { name, args } = raw as { name: string; args: unknown };
      const fn = own(plugin?.tools, name);
      if (typeof fn !== 'function') fail('TOOL_NOT_IMPLEMENTED', `tool "${name}" is declared but not implemented`);
      const ctx = {
        ...baseCtx,
        // A getter, so the request's AbortController is made only for a tool that looks at it.
        get signal() {
          return inc.signal;
        },
        progress: (progress: number, total?: number, message?: string) =>
          void peer.notify('progress', { id: inc.id, progress, total, message }).catch(() => {}),
      };
      return toToolResult(await fn.call(plugin!.tools, args, ctx));
    },

    async resource(raw, inc: IncomingContext) {
      const { template, uri, params } = raw as { template: string; uri: string; params: Record<string, string> };
      const fn = own(plugin?.resources, template);
      if (typeof fn !== 'function') fail('RESOURCE_NOT_IMPLEMENTED', `resource "${template}" is declared but not implemented`);
      return await fn.call(plugin!.resources, params, { ...baseCtx, uri, signal: inc.signal });
    },

    async hooks(raw, inc: IncomingContext): Promise<HookBatchResult> {
      const p = raw as HookBatchParams;
      const fn = own(plugin?.hooks, p.event);
      if (typeof fn !== 'function') fail('HOOK_NOT_IMPLEMENTED', `hook "${p.event}" is declared but not implemented`);
      // The host already ordered and matched these; the rules run them as the host would.
      const handlers: SentHandler[] = p.handlers.map((h) => ({
        plugin: String(baseCtx?.name ?? ''), priority: h.priority, timeoutMs: h.timeoutMs, failOpen: h.failOpen === true, index: h.index, removed: false,
      }));
      const results: HookBatchResult['results'] = [];
      const io: HookIo<SentHandler> = {
        call(h, value) {
          h.ac = new AbortController();
          return fn.call(plugin!.hooks, value, { ...baseCtx, ...p.ctx, event: p.event, priority: h.priority, signal: h.ac.signal });
        },
        onTimeout: (h) => h.ac?.abort(),
        record(h, outcome, ms, error, reason) {
          if (outcome === 'skipped') return;
          const r = { index: h.index, outcome, ms: ms ?? 0, ...(error ? { error: error.detail } : {}), ...(reason !== undefined ? { reason } : {}) };
          // Actions finish in any order; results stay in the order sent.
          if (p.kind === 'action') results[handlers.indexOf(h)] = r;
          else results.push(r);
        },
      };
      // The host gave up on this request (its own timeout): abort every handler still running.
      const abortAll = () => { for (const h of handlers) h.ac?.abort(); };
      inc.signal.addEventListener('abort', abortAll, { once: true });
      try {
        if (p.kind === 'action') {
          await runAll(handlers, p.value, p.ctx, io);
          return { value: p.value, results };
        }
        const r = await runChain(p.kind, handlers, p.value, p.ctx, io, true);
        return { value: r.value, results, ...(r.denied ? { stopped: true } : {}) };
      } finally {
        inc.signal.removeEventListener('abort', abortAll);
      }
    },

    async health() {
      if (typeof plugin?.healthCheck !== 'function') return { ok: true };
      const r = (await plugin.healthCheck()) as { ok?: unknown; detail?: unknown } | undefined;
      return { ok: r?.ok !== false, ...(r?.detail !== undefined ? { detail: String(r.detail) } : {}) };
    },

    async deactivate() {
      lifetime.abort();
      if (typeof plugin?.deactivate === 'function') await plugin.deactivate();
      return { ok: true };
    },
  },
});

void peer.notify('ready', { pid: process.pid, node: process.versions.node }).catch(() => {});
