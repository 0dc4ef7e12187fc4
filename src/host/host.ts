/**
 * The plugin host: the library `pm serve`, `pm hook-run` and the testing kit build on.
 * It knows every enabled plugin from its manifest (nothing starts until used), routes
 * tool calls, resource reads and plugin-to-plugin calls through the hook dispatcher to
 * each plugin's sandboxed process, and persists hook stats when closed.
 */
import { PmError } from '../core/errors.js';
import { isBuiltinEvent } from '../core/hooks/events.js';
import { formatToolRef, parseToolRef, type ToolRef } from '../core/tool-ref.js';
import type { CallContext } from './call-context.js';
import { loadHomePlugins } from './home-plugins.js';
import { HookDispatcher, type DispatcherOptions, type HandlerStats } from './hooks/dispatcher.js';
import type { ResourceContribution as ResourceDecl, ToolAnnotations, ToolContribution as ToolDecl } from '../core/manifest/types.js';
import type { HostPlugin } from './manifest-types.js';
import { writeHookStats } from './stats-file.js';
import { RunStatsWriter } from './stats-runs.js';
import { DEFAULT_SUPERVISOR_OPTIONS, type CallOptions, type PluginProcessStats, type SupervisorOptions } from './process/options.js';
import { escapeControl } from './log-text.js';
import { PluginProcess } from './process/plugin-process.js';
// The MCP SDK's result types are pm's only result types (type-only: nothing is loaded).
import type { CallToolResult, ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';

export type { HostPlugin };

export interface HostOptions extends Partial<SupervisorOptions>, Pick<DispatcherOptions, 'guardFailOpen'> {
  /** Per-handler hook timeout when the manifest gives none (default 5000 ms). */
  hookTimeoutMs?: number;
  /** Receives plugin logs and host warnings (default: stderr, `[plugin] message`). */
  log?: (entry: { plugin?: string; level: string; message: string }) => void;
  /** Write hook stats to <home>/stats/hooks.json on close (default: when a home is given). */
  persistStats?: boolean;
}

export interface CreateHostOptions {
  /** PM_HOME: plugins come from its state.json unless `plugins` is given; stats are written here. */
  home?: string;
  plugins?: HostPlugin[];
  options?: HostOptions;
}

export interface ToolInfo extends ToolRef {
  /** `<plugin>.<tool>` */
  name: string;
  description?: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  annotations?: ToolAnnotations;
  timeoutMs: number;
}

export interface ResourceInfo extends ResourceDecl {
  plugin: string;
}


export interface CallToolOptions {
  signal?: AbortSignal;
  onProgress?: (p: { progress: number; total?: number; message?: string }) => void;
  /** The plugin making the call, for plugin-to-plugin routing (set by the host). */
  caller?: string;
  /** The MCP request being served: hooks see it; its signal cancels the call when `signal` is not given. */
  call?: CallContext;
}

export interface HostStats {
  plugins: PluginProcessStats[];
  hooks: HandlerStats[];
}

export interface ReloadResult {
  added: string[];
  removed: string[];
  changed: string[];
  /** Plugins whose new state could not be applied: stopped, not served ('*': none could be read). */
  failed: { plugin: string; message: string }[];
}

interface Entry {
  plugin: HostPlugin;
  proc: PluginProcess;
  tools: Map<string, ToolDecl>;
  resources: { decl: ResourceDecl; re: RegExp; keys: string[] }[];
}

const ignoreSigusr1 = () => {};

function templateRegex(template: string): { re: RegExp; keys: string[] } {
  const keys: string[] = [];
  let src = '^';
  let last = 0;
  for (const m of template.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
    src += template.slice(last, m.index).replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '([^/]+)';
    keys.push(m[1]!);
    last = m.index! + m[0].length;
  }
  src += template.slice(last).replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$';
  return { re: new RegExp(src), keys };
}

function defaultLog(entry: { plugin?: string; level: string; message: string }): void {
  process.stderr.write(`${entry.plugin ? `[${entry.plugin}] ` : ''}${entry.level === 'stdout' || entry.level === 'stderr' || entry.level === 'info' ? '' : entry.level + ': '}${escapeControl(entry.message)}\n`);
}

/** Creates a host over the given plugins, or over PM_HOME's installed plugins. Starts no process. */
export async function createHost(opts: CreateHostOptions = {}): Promise<Host> {
  if (!opts.plugins && !opts.home) throw new PmError('HOST_NO_PLUGINS', 'createHost needs a home or a list of plugins');
  const log = opts.options?.log ?? defaultLog;
  const plugins = opts.plugins ?? (await loadHomePlugins(opts.home!, (message) => log({ level: 'warn', message })));
  return new Host(plugins, opts);
}

export class Host {
  readonly hooks: HookDispatcher;
  private readonly entries = new Map<string, Entry>();
  private readonly options: SupervisorOptions;
  private readonly log: NonNullable<HostOptions['log']>;
  private closed = false;

  private readonly startedAt = new Date();

  constructor(plugins: HostPlugin[], private readonly init: CreateHostOptions) {
    // A plugin must not be able to open an inspector on the host (process._debugProcess sends SIGUSR1).
    if (!process.listeners('SIGUSR1').includes(ignoreSigusr1)) process.on('SIGUSR1', ignoreSigusr1);
    const o = init.options ?? {};
    this.log = o.log ?? defaultLog;
    this.options = { ...DEFAULT_SUPERVISOR_OPTIONS, pmHome: init.home, ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) } as SupervisorOptions;
    this.hooks = new HookDispatcher({
      handlerTimeoutMs: o.hookTimeoutMs,
      guardFailOpen: o.guardFailOpen,
      onHandlerError: ({ event, plugin, outcome, message }) => this.log({ plugin, level: 'warn', message: `hook ${event} ${outcome === 'timeout' ? 'timed out' : 'failed'}: ${message.slice(plugin.length + 2)}` }),
    });
    for (const p of plugins) if (p.enabled !== false) this.add(p);
  }

  private add(plugin: HostPlugin): void {
    const proc = new PluginProcess(plugin, this.options, {
      callTool: (caller, name, args) => this.callFromPlugin(caller, name, args),
      emit: (caller, event, value) => this.emitFromPlugin(caller, event, value),
      log: (p, level, message) => this.log({ plugin: p, level, message }),
    });
    const c = plugin.manifest.contributes ?? {};
    const tools = new Map((c.tools ?? []).map((t) => [t.name, t]));
    const resources = (c.resources ?? []).map((decl) => ({ decl, ...templateRegex(decl.uri) }));
    // Registered before its hooks, so remove() undoes a registration that failed half-way.
    this.entries.set(plugin.name, { plugin, proc, tools, resources });
    (c.hooks ?? []).forEach((h, index) => {
      this.hooks.register({ plugin: plugin.name, event: h.event, priority: h.priority, match: h.match, timeoutMs: h.timeoutMs, failOpen: h.failOpen, remote: proc, index });
    });
    for (const e of c.events ?? []) this.hooks.declareEvent(e, plugin.name);
  }

  private async remove(name: string): Promise<void> {
    const e = this.entries.get(name);
    if (!e) return;
    this.entries.delete(name);
    this.hooks.removePlugin(name);
    await e.proc.stop();
  }

  /** The enabled plugins this host serves. */
  plugins(): HostPlugin[] {
    return [...this.entries.values()].map((e) => e.plugin);
  }

  /** Every tool of every enabled plugin, from the manifests (no process is started). */
  listTools(): ToolInfo[] {
    const out: ToolInfo[] = [];
    for (const { plugin, tools } of this.entries.values()) {
      for (const t of tools.values()) {
        out.push({
          name: formatToolRef({ plugin: plugin.name, tool: t.name }), plugin: plugin.name, tool: t.name, description: t.description,
          inputSchema: t.inputSchema ?? { type: 'object' },
          ...(t.outputSchema ? { outputSchema: t.outputSchema } : {}),
          ...(t.annotations ? { annotations: t.annotations } : {}),
          timeoutMs: t.timeoutMs ?? this.options.callTimeoutMs,
        });
      }
    }
    return out;
  }

  /** Every resource (template) of every enabled plugin, from the manifests. */
  listResources(): ResourceInfo[] {
    return [...this.entries.values()].flatMap((e) => e.resources.map((r) => ({ ...r.decl, plugin: e.plugin.name })));
  }

  private resolveTool(target: string | ToolRef): { entry: Entry; decl: ToolDecl; ref: ToolRef } {
    const ref = typeof target === 'string' ? parseToolRef(target) : target;
    const entry = ref && this.entries.get(ref.plugin);
    const decl = ref && entry?.tools.get(ref.tool);
    if (!entry || !decl) {
      const name = typeof target === 'string' ? target : formatToolRef(target);
      throw new PmError('TOOL_NOT_FOUND', `no enabled plugin provides the tool ${name}`, {
        hint: 'tools are named <plugin>.<tool>; pm plugin-list shows the enabled plugins', data: { tool: name },
      });
    }
    return { entry, decl, ref: ref! };
  }

  /**
   * Calls `<plugin>.<tool>`: tool:before-call guards and filters, the plugin, then tool:after-call
   * filters. With no handler for either event the call goes straight to the plugin: no dispatch,
   * no extra promise (the hot path of `pm serve`).
   */
  callTool(tool: string | ToolRef, args: Record<string, unknown> = {}, options: CallToolOptions = {}): Promise<CallToolResult> {
    let target: { entry: Entry; decl: ToolDecl; ref: ToolRef };
    try {
      this.assertOpen();
      target = this.resolveTool(tool);
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.hooks.has('tool:before-call') || this.hooks.has('tool:after-call')) return this.callToolHooked(target, args, options);
    return target.entry.proc.callTool(target.ref.tool, args, this.callOptions(target.decl, options)) as Promise<CallToolResult>;
  }

  private callOptions(decl: ToolDecl, options: CallToolOptions): CallOptions {
    return { timeoutMs: decl.timeoutMs ?? this.options.callTimeoutMs, signal: options.signal ?? options.call?.signal, onProgress: options.onProgress, call: options.call };
  }

  private async callToolHooked({ entry, decl, ref }: { entry: Entry; decl: ToolDecl; ref: ToolRef }, args: Record<string, unknown>, options: CallToolOptions): Promise<CallToolResult> {
    // Hooks and `match` globs name tools as strings.
    const name = formatToolRef(ref);
    const ctx = { tool: name, ...(options.caller ? { caller: options.caller } : {}) };
    const dispatchOptions = options.call ? { call: options.call } : undefined;
    const before = await this.hooks.dispatch('tool:before-call', { tool: name, arguments: args }, ctx, dispatchOptions);
    if (before.denied) {
      throw new PmError('TOOL_DENIED', `${name} was denied by plugin ${before.denied.plugin}: ${before.denied.reason}`, {
        data: { tool: name, plugin: before.denied.plugin, reason: before.denied.reason },
      });
    }
    const v = before.value as { arguments?: unknown } | undefined;
    const finalArgs = v && typeof v.arguments === 'object' && v.arguments !== null ? (v.arguments as Record<string, unknown>) : args;
    const result = (await entry.proc.callTool(ref.tool, finalArgs, this.callOptions(decl, options))) as CallToolResult;
    const after = await this.hooks.dispatch('tool:after-call', result, { tool: name, arguments: finalArgs }, dispatchOptions);
    return after.value;
  }

  /** Reads a resource by URI from the plugin whose resource template matches it, then resource:after-read filters. */
  async readResource(uri: string, options: { signal?: AbortSignal; call?: CallContext } = {}): Promise<ReadResourceResult> {
    this.assertOpen();
    for (const e of this.entries.values()) {
      for (const r of e.resources) {
        const m = r.re.exec(uri);
        if (!m) continue;
        const params = Object.fromEntries(r.keys.map((k, i) => [k, decodeURIComponent(m[i + 1]!)]));
        const raw = await e.proc.readResource(r.decl.uri, uri, params, { signal: options.signal ?? options.call?.signal, call: options.call });
        // A handler that returns nothing found nothing: the client hears "not found", not a failure.
        if (raw === null || raw === undefined) throw new PmError('RESOURCE_NOT_FOUND', `plugin ${e.plugin.name} has no resource ${uri}`, { data: { uri, plugin: e.plugin.name } });
        const result = normalizeResource(raw, uri, r.decl.mimeType);
        const after = await this.hooks.dispatch('resource:after-read', result, { uri, plugin: e.plugin.name }, options.call ? { call: options.call } : undefined);
        return after.value;
      }
    }
    throw new PmError('RESOURCE_NOT_FOUND', `no enabled plugin provides the resource ${uri}`, { hint: 'pm serve lists resources under resources/list', data: { uri } });
  }

  /** Asks one plugin's healthCheck() (starting it if needed). */
  async health(plugin: string): Promise<{ ok: boolean; detail?: string }> {
    const e = this.entries.get(plugin);
    if (!e) throw new PmError('PLUGIN_NOT_FOUND', `no enabled plugin named ${plugin}`);
    return e.proc.health();
  }

  /** Plugin-to-plugin calls: allowed only towards the caller's `dependencies`. */
  private async callFromPlugin(caller: string, name: string, args: unknown): Promise<unknown> {
    const target = parseToolRef(name)?.plugin ?? name;
    const deps = this.entries.get(caller)?.plugin.manifest.dependencies ?? {};
    if (!Object.hasOwn(deps, target)) {
      throw new PmError('TOOL_CALL_DENIED', `plugin ${caller} may not call ${name}: ${target} is not in its dependencies`, {
        hint: `add "${target}" to "dependencies" in ${caller}'s plugin.json`, data: { caller, tool: name },
      });
    }
    return this.callTool(name, (args ?? {}) as Record<string, unknown>, { caller });
  }

  /** ctx.hooks.emit: a plugin emits only the custom events it declares in contributes.events. */
  private async emitFromPlugin(caller: string, event: string, value: unknown): Promise<void> {
    const declared = this.entries.get(caller)?.plugin.manifest.contributes?.events ?? [];
    if (isBuiltinEvent(event) || !declared.includes(event)) {
      throw new PmError('HOOK_EVENT_UNDECLARED', `plugin ${caller} may not emit ${event}: it is not in its contributes.events`, {
        hint: `declare "${event}" in contributes.events (built-in events are emitted by pm only)`, data: { plugin: caller, event },
      });
    }
    await this.hooks.dispatch(event, value, { plugin: caller });
  }

  /** Per-plugin process stats and per-handler hook stats. */
  stats(withHistogram = false): HostStats {
    return { plugins: [...this.entries.values()].map((e) => e.proc.stats(withHistogram)), hooks: this.hooks.stats(withHistogram) };
  }

  /**
   * Re-reads the plugins (from PM_HOME, or the list given) and applies the difference:
   * removed or changed plugins are stopped, new ones are registered. Fails safe: a plugin
   * whose new state cannot be applied is stopped (listed in `failed`), and when the plugins
   * cannot be read at all every plugin is stopped; never is the old set kept serving.
   */
  async reload(plugins?: HostPlugin[]): Promise<ReloadResult> {
    this.assertOpen();
    const result: ReloadResult = { added: [], removed: [], changed: [], failed: [] };
    let next: HostPlugin[];
    try {
      next = (plugins ?? (this.init.home ? await loadHomePlugins(this.init.home, (message) => this.log({ level: 'warn', message })) : this.init.plugins ?? [])).filter((p) => p.enabled !== false);
    } catch (err) {
      this.log({ level: 'error', message: `cannot reload the plugins (${(err as Error).message}); stopped serving all of them until a reload succeeds` });
      for (const name of [...this.entries.keys()]) { result.removed.push(name); await this.remove(name); }
      result.failed.push({ plugin: '*', message: (err as Error).message });
      return result;
    }
    const byName = new Map(next.map((p) => [p.name, p]));
    const fail = async (name: string, err: unknown) => {
      await this.remove(name).catch(() => {});
      result.failed.push({ plugin: name, message: (err as Error).message });
      this.log({ plugin: name, level: 'error', message: `cannot apply the new state of ${name} (${(err as Error).message}); it is no longer served` });
    };
    for (const name of [...this.entries.keys()]) {
      const now = byName.get(name);
      const before = this.entries.get(name)!.plugin;
      if (!now) {
        result.removed.push(name);
        await this.remove(name);
        continue;
      }
      try {
        // A new restartRequestedAt (pm plugin-enable of an enabled plugin) restarts it, clearing a failed mark.
        if (now.dir !== before.dir || now.restartRequestedAt !== before.restartRequestedAt || JSON.stringify(now.manifest) !== JSON.stringify(before.manifest) || JSON.stringify(now.config ?? {}) !== JSON.stringify(before.config ?? {})) {
          result.changed.push(name);
          await this.remove(name);
          this.add(now);
        }
      } catch (err) {
        await fail(name, err);
      }
    }
    for (const p of next) {
      if (this.entries.has(p.name) || result.failed.some((f) => f.plugin === p.name)) continue;
      try {
        this.add(p);
        result.added.push(p.name);
      } catch (err) {
        await fail(p.name, err);
      }
    }
    return result;
  }

  /** Waits for running hook dispatches, stops every plugin (deactivate, grace, kill), and persists hook stats. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.hooks.drain();
    await Promise.all([...this.entries.values()].map((e) => e.proc.stop().catch(() => {})));
    const persist = this.init.options?.persistStats ?? Boolean(this.init.home);
    if (persist && this.init.home) {
      const s = this.stats(true);
      await new RunStatsWriter(this.init.home, 'host', this.startedAt).write({ handlers: s.hooks, plugins: s.plugins });
      await writeHookStats(this.init.home, s.hooks, s.plugins);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new PmError('HOST_CLOSED', 'the plugin host is closed');
  }
}

function normalizeResource(raw: unknown, uri: string, mimeType?: string): ReadResourceResult {
  if (raw && typeof raw === 'object' && Array.isArray((raw as { contents?: unknown }).contents)) return raw as ReadResourceResult;
  const r = (raw ?? {}) as { text?: unknown; blob?: unknown; mimeType?: unknown };
  const mt = typeof r.mimeType === 'string' ? r.mimeType : mimeType;
  if (typeof raw === 'string') return { contents: [{ uri, ...(mt ? { mimeType: mt } : {}), text: raw }] };
  if (typeof r.blob === 'string') return { contents: [{ uri, ...(mt ? { mimeType: mt } : {}), blob: r.blob }] };
  return { contents: [{ uri, ...(mt ? { mimeType: mt } : {}), text: typeof r.text === 'string' ? r.text : JSON.stringify(raw) }] };
}
