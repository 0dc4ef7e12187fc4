/**
 * The plugin host: the library `pm serve`, `pm hook-run` and the testing kit build on.
 * It knows every enabled plugin from its manifest (nothing starts until used), routes
 * tool calls, resource reads and plugin-to-plugin calls through the hook dispatcher to
 * each plugin's sandboxed process, and persists hook stats when closed.
 */
import { PmError } from '../core/errors.js';
import { isBuiltinEvent } from '../core/hooks/events.js';
import type { ToolPin } from '../core/store/pins.js';
import { formatToolRef, parseToolRef, type ToolRef } from '../core/tool-ref.js';
import type { CallContext } from './call-context.js';
import { defaultServerProcess } from './default-server-process.js';
import { loadHomePlugins } from './home-plugins.js';
import { HookDispatcher } from './hooks/dispatcher.js';
import type { ResourceContribution as ResourceDecl, ToolContribution as ToolDecl } from '../core/manifest/types.js';
import type { CallToolOptions, CreateHostOptions, HostOptions, HostStats, ReloadResult, ResourceInfo, ServerPromptInfo, ServerResourceInfo, ToolInfo } from './host-types.js';
import type { HostPlugin } from './manifest-types.js';
import { normalizeResource, templateRegex } from './resource-match.js';
import { defaultLog, readServerPins } from './host-log-pins.js';
import { ServerPlugin, type PinStatus } from './server-plugin.js';
import type { ServerListKind, ServerProcessLike } from './server/types.js';
import { writeHookStats } from './stats-file.js';
import { RunStatsWriter } from './stats-runs.js';
import { DEFAULT_SUPERVISOR_OPTIONS, type CallOptions, type SupervisorOptions } from './process/options.js';
import { PluginProcess } from './process/plugin-process.js';
import { changedPlugins } from './reload-plan.js';
// The MCP SDK's result types are pm's only result types (type-only: nothing is loaded).
import type { CallToolResult, GetPromptResult, ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';

export type { HostPlugin };
export type * from './host-types.js';

/** A module plugin: pm's runner, tools and resources from the manifest, hooks. */
interface ModuleEntry {
  kind: 'module';
  plugin: HostPlugin;
  proc: PluginProcess;
  tools: Map<string, ToolDecl>;
  resources: { decl: ResourceDecl; re: RegExp; keys: string[] }[];
}

/** A server plugin: an MCP server process, tools from its pin, no pm hooks of its own. */
interface ServerEntry {
  kind: 'server';
  plugin: HostPlugin;
  proc: ServerProcessLike;
  server: ServerPlugin;
}

type Entry = ModuleEntry | ServerEntry;

/** A resolved tool: who serves it, its timeout, and how to call it. */
interface Target {
  ref: ToolRef;
  timeoutMs: number;
  invoke(args: Record<string, unknown>, options: CallOptions): Promise<CallToolResult>;
}

const ignoreSigusr1 = () => {};

/** Creates a host over the given plugins, or over PM_HOME's installed plugins. Starts no process. */
export async function createHost(opts: CreateHostOptions = {}): Promise<Host> {
  if (!opts.plugins && !opts.home) throw new PmError('HOST_NO_PLUGINS', 'createHost needs a home or a list of plugins');
  const log = opts.options?.log ?? defaultLog;
  const plugins = opts.plugins ?? (await loadHomePlugins(opts.home!, (message) => log({ level: 'warn', message })));
  const { pins, failed } = await readServerPins(opts.home, plugins, log);
  return new Host(plugins.filter((p) => !failed.some((f) => f.plugin === p.name)), opts, pins);
}

export class Host {
  readonly hooks: HookDispatcher;
  private readonly entries = new Map<string, Entry>();
  private readonly options: SupervisorOptions;
  private readonly log: NonNullable<HostOptions['log']>;
  private readonly listListeners = new Set<(plugin: string, kinds: ServerListKind[]) => void>();
  private closed = false;
  private readonly startedAt = new Date();

  constructor(plugins: HostPlugin[], private readonly init: CreateHostOptions, pins: Map<string, ToolPin | undefined> = new Map()) {
    // A plugin must not be able to open an inspector on the host (process._debugProcess sends SIGUSR1).
    if (!process.listeners('SIGUSR1').includes(ignoreSigusr1)) process.on('SIGUSR1', ignoreSigusr1);
    const o = init.options ?? {};
    this.log = o.log ?? defaultLog;
    const { serverProcess: _factory, ...supervisor } = o;
    this.options = { ...DEFAULT_SUPERVISOR_OPTIONS, pmHome: init.home, ...Object.fromEntries(Object.entries(supervisor).filter(([, v]) => v !== undefined)) } as SupervisorOptions;
    this.hooks = new HookDispatcher({
      handlerTimeoutMs: o.hookTimeoutMs,
      guardFailOpen: o.guardFailOpen,
      onHandlerError: ({ event, plugin, outcome, message }) => this.log({ plugin, level: 'warn', message: `hook ${event} ${outcome === 'timeout' ? 'timed out' : 'failed'}: ${message.slice(plugin.length + 2)}` }),
    });
    for (const p of plugins) if (p.enabled !== false) this.add(p, pins.get(p.name));
  }

  private add(plugin: HostPlugin, pin?: ToolPin): void {
    if (plugin.kind === 'server') {
      const server = new ServerPlugin(plugin, this.init.options?.serverProcess ?? ((p, events) => defaultServerProcess(p, events, this.options, (name, level, message) => this.log({ plugin: name, level, message }))), pin, {
        home: this.init.home,
        log: (level, message) => this.log({ plugin: plugin.name, level, message }),
        onListsChanged: (name, kinds) => { for (const l of this.listListeners) l(name, kinds); },
        onEvent: (kind, message, details) => this.init.options?.onPluginEvent?.({ plugin: plugin.name, kind, message, ...(details ? { details } : {}) }),
      });
      // Server plugins have no pm hooks of their own: nothing is registered with the dispatcher.
      this.entries.set(plugin.name, { kind: 'server', plugin, proc: server.proc, server });
      return;
    }
    const proc = new PluginProcess(plugin, this.options, {
      callTool: (caller, name, args) => this.callFromPlugin(caller, name, args),
      emit: (caller, event, value) => this.emitFromPlugin(caller, event, value),
      log: (p, level, message) => this.log({ plugin: p, level, message }),
      crashed: (p, info) => this.init.options?.onPluginEvent?.({ plugin: p, kind: info.failed ? 'failed' : 'crashed', message: info.message }),
    });
    const c = plugin.manifest.contributes ?? {};
    const tools = new Map((c.tools ?? []).map((t) => [t.name, t]));
    const resources = (c.resources ?? []).map((decl) => ({ decl, ...templateRegex(decl.uri) }));
    // Registered before its hooks, so remove() undoes a registration that failed half-way.
    this.entries.set(plugin.name, { kind: 'module', plugin, proc, tools, resources });
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
    if (e.kind === 'server') await e.server.settled();
  }

  /** The enabled plugins this host serves. */
  plugins(): HostPlugin[] {
    return [...this.entries.values()].map((e) => e.plugin);
  }

  /** Calls `listener` when a server plugin's lists changed (a pin recorded, its resources or prompts re-read). */
  onListsChanged(listener: (plugin: string, kinds: ServerListKind[]) => void): () => void {
    this.listListeners.add(listener);
    return () => this.listListeners.delete(listener);
  }

  /** Every tool of every enabled plugin, from the manifests and the pins (no process is started). */
  listTools(): ToolInfo[] {
    const out: ToolInfo[] = [];
    for (const e of this.entries.values()) {
      const plugin = e.plugin.name;
      const tools = e.kind === 'module' ? [...e.tools.values()].map((t) => ({ name: t.name, tool: t })) : e.server.listTools();
      for (const { name, tool: t } of tools) {
        out.push({
          name: formatToolRef({ plugin, tool: name }), plugin, tool: name,
          ...(e.kind === 'server' && t.title ? { title: t.title } : {}),
          description: t.description,
          inputSchema: (t.inputSchema as Record<string, unknown> | undefined) ?? { type: 'object' },
          ...(t.outputSchema ? { outputSchema: t.outputSchema as Record<string, unknown> } : {}),
          ...(t.annotations ? { annotations: t.annotations } : {}),
          timeoutMs: (t as ToolDecl).timeoutMs ?? this.options.callTimeoutMs,
        });
      }
    }
    return out;
  }

  /** Every resource (template) of every enabled module plugin, from the manifests. */
  listResources(): ResourceInfo[] {
    return [...this.entries.values()].flatMap((e) => (e.kind === 'module' ? e.resources.map((r) => ({ ...r.decl, plugin: e.plugin.name })) : []));
  }

  /** Every resource (template) of every enabled server plugin, as each last reported them. */
  listServerResources(): ServerResourceInfo[] {
    return [...this.entries.values()].flatMap((e) => (e.kind === 'server' ? e.server.listResources().map((r) => ({ ...r, plugin: e.plugin.name })) : []));
  }

  /** Every prompt of every enabled server plugin, under its safe name. */
  listServerPrompts(): ServerPromptInfo[] {
    return [...this.entries.values()].flatMap((e) => (e.kind === 'server' ? e.server.listPrompts().map((p) => ({ ...p, plugin: e.plugin.name })) : []));
  }

  /** A server plugin's pin status and safe names; undefined for module plugins. */
  pinStatus(plugin: string): PinStatus | undefined {
    const e = this.entries.get(plugin);
    return e?.kind === 'server' ? e.server.status() : undefined;
  }

  /**
   * Starts, once, each server plugin that has neither a recorded pin nor declared tools, and pins
   * what it reports (tools/list needs the tools). Returns whether any list changed; failures are logged.
   */
  async pinUnpinned(): Promise<boolean> {
    const todo = [...this.entries.values()].flatMap((e) => (e.kind === 'server' && !e.server.isPinned ? [e] : []));
    const done = await Promise.all(todo.map((e) => e.server.ensurePinned().catch((err: unknown) => {
      this.log({ plugin: e.plugin.name, level: 'error', message: `cannot start the server to pin its tools: ${(err as Error).message}` });
      return false;
    })));
    return done.some(Boolean);
  }

  private resolveTool(target: string | ToolRef): Target {
    const ref = typeof target === 'string' ? parseToolRef(target) : target;
    const entry = ref && this.entries.get(ref.plugin);
    if (ref && entry) {
      if (entry.kind === 'module') {
        const decl = entry.tools.get(ref.tool);
        const proc = entry.proc;
        if (decl) return { ref, timeoutMs: decl.timeoutMs ?? this.options.callTimeoutMs, invoke: (args, o) => proc.callTool(ref.tool, args, o) as Promise<CallToolResult> };
      } else {
        const { server } = entry;
        if (server.hasTool(ref.tool)) return { ref, timeoutMs: this.options.callTimeoutMs, invoke: (args, o) => server.callTool(ref.tool, args, o) };
        const unpinned = server.unpinnedError(ref.tool);
        if (unpinned) throw unpinned;
      }
    }
    const name = typeof target === 'string' ? target : formatToolRef(target);
    throw new PmError('TOOL_NOT_FOUND', `no enabled plugin provides the tool ${name}`, {
      hint: 'tools are named <plugin>.<tool>; pm plugin-list shows the enabled plugins', data: { tool: name },
    });
  }

  /**
   * Calls `<plugin>.<tool>`: tool:before-call guards and filters, the plugin, then tool:after-call
   * filters. With no handler for either event the call goes straight to the plugin: no dispatch,
   * no extra promise (the hot path of `pm serve`).
   */
  callTool(tool: string | ToolRef, args: Record<string, unknown> = {}, options: CallToolOptions = {}): Promise<CallToolResult> {
    let target: Target;
    try {
      this.assertOpen();
      target = this.resolveTool(tool);
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.hooks.has('tool:before-call') || this.hooks.has('tool:after-call')) return this.callToolHooked(target, args, options);
    return target.invoke(args, this.callOptions(target, options));
  }

  private callOptions(target: Target, options: CallToolOptions): CallOptions {
    return { timeoutMs: target.timeoutMs, signal: options.signal ?? options.call?.signal, onProgress: options.onProgress, call: options.call };
  }

  private async callToolHooked(target: Target, args: Record<string, unknown>, options: CallToolOptions): Promise<CallToolResult> {
    // Hooks and `match` globs name tools as strings.
    const name = formatToolRef(target.ref);
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
    const result = await target.invoke(finalArgs, this.callOptions(target, options));
    const after = await this.hooks.dispatch('tool:after-call', result, { tool: name, arguments: finalArgs }, dispatchOptions);
    return after.value;
  }

  /** Reads a resource by URI from the plugin whose resource (template) matches it, then resource:after-read filters. */
  async readResource(uri: string, options: { signal?: AbortSignal; call?: CallContext } = {}): Promise<ReadResourceResult> {
    this.assertOpen();
    const signal = options.signal ?? options.call?.signal;
    const after = async (result: ReadResourceResult, plugin: string) => (await this.hooks.dispatch('resource:after-read', result, { uri, plugin }, options.call ? { call: options.call } : undefined)).value;
    for (const e of this.entries.values()) {
      if (e.kind === 'server') {
        if (e.server.providesResource(uri)) return after(await e.server.readResource(uri, { timeoutMs: this.options.callTimeoutMs, signal, call: options.call }), e.plugin.name);
        continue;
      }
      for (const r of e.resources) {
        const m = r.re.exec(uri);
        if (!m) continue;
        const params = Object.fromEntries(r.keys.map((k, i) => [k, decodeURIComponent(m[i + 1]!)]));
        const raw = await e.proc.readResource(r.decl.uri, uri, params, { signal, call: options.call });
        // A handler that returns nothing found nothing: the client hears "not found", not a failure.
        if (raw === null || raw === undefined) throw new PmError('RESOURCE_NOT_FOUND', `plugin ${e.plugin.name} has no resource ${uri}`, { data: { uri, plugin: e.plugin.name } });
        return after(normalizeResource(raw, uri, r.decl.mimeType), e.plugin.name);
      }
    }
    throw new PmError('RESOURCE_NOT_FOUND', `no enabled plugin provides the resource ${uri}`, { hint: 'pm serve lists resources under resources/list', data: { uri } });
  }

  /** prompts/get of a server plugin's prompt (by its safe name); progress and cancellation pass through. */
  async getPrompt(plugin: string, name: string, args: Record<string, string> = {}, options: { signal?: AbortSignal; call?: CallContext } = {}): Promise<GetPromptResult> {
    this.assertOpen();
    const e = this.entries.get(plugin);
    if (e?.kind !== 'server') throw new PmError('PROMPT_NOT_FOUND', `no enabled server plugin named ${plugin} has the prompt ${name}`, { data: { plugin, prompt: name } });
    return e.server.getPrompt(name, args, { timeoutMs: this.options.callTimeoutMs, signal: options.signal ?? options.call?.signal, call: options.call });
  }

  /** Asks one plugin's healthCheck() (a server plugin: `ping`), starting it if needed. */
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

  /** Per-plugin process stats (both kinds) and per-handler hook stats. */
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
    const { changed: changedOrNew, unapplicable } = changedPlugins(next, (name) => this.entries.get(name)?.plugin);
    for (const u of unapplicable) await fail(u.name, u.err);
    // Pins are read again for the plugins (re)registered, so a pin accepted meanwhile is served.
    const { pins, failed: badPins } = await readServerPins(this.init.home, changedOrNew, this.log);
    for (const f of badPins) await fail(f.plugin, new Error(f.message));
    for (const name of [...this.entries.keys()]) {
      const now = byName.get(name);
      if (!now) {
        result.removed.push(name);
        await this.remove(name);
        continue;
      }
      try {
        if (changedOrNew.includes(now)) {
          result.changed.push(name);
          await this.remove(name);
          this.add(now, pins.get(name));
        }
      } catch (err) {
        await fail(name, err);
      }
    }
    for (const p of next) {
      if (this.entries.has(p.name) || result.failed.some((f) => f.plugin === p.name)) continue;
      try {
        this.add(p, pins.get(p.name));
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
    await Promise.all([...this.entries.values()].map((e) => e.proc.stop().catch(() => {}).then(() => (e.kind === 'server' ? e.server.settled() : undefined))));
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
