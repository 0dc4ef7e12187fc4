import type { CallToolResult, ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
/**
 * The plugin testing kit's host: the real pm host (sandboxed plugin processes, hooks,
 * argument validation, prompt rendering — the McpService `pm serve` runs) over a
 * temporary PM_HOME where the plugin under test and its dependencies are linked and enabled.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PmError } from '../core/errors.js';
import { readPluginManifest } from '../core/manifest/read.js';
import { applyConfigSchema } from '../core/store/config.js';
import { linkPlugin } from '../core/store/link.js';
import { readState, writeState } from '../core/store/state.js';
import { createHost, type Host, type ToolInfo, type ResourceInfo } from '../host/host.js';
import type { DispatchResult } from '../host/hooks/dispatcher.js';
import { loadEnabledPlugins, promptSourcesOf } from '../host/mcp/plugins.js';
import { McpService } from '../host/mcp/server.js';
import { serveHostOf } from '../host/mcp/serve-host-of.js';
import type { ServeHost } from '../host/mcp/types.js';
import { BASE_ENV_NAMES } from '../host/server/server-env.js';

/** The test process's values of the names every server plugin gets from pm's environment. */
function baseServerEnv(): Record<string, string> {
  return Object.fromEntries(BASE_ENV_NAMES.flatMap((n) => (process.env[n] === undefined ? [] : [[n, process.env[n]!]])));
}

export interface TestHostOptions {
  /** The plugin folder under test (the one holding plugin.json). */
  plugin: string;
  /** The plugin's configuration, checked against its manifest's `config` schema (defaults applied). */
  config?: Record<string, unknown>;
  /**
   * Environment variables the sandbox may hand to plugins (only those their manifests list
   * in permissions.env reach them). The test process's own environment is not used, except
   * the base set every server plugin gets (PATH, HOME, locale, temp folder: server-env.ts),
   * without which a server's `python3` or `npx` is not found.
   */
  env?: Record<string, string>;
  /** Use this PM_HOME instead of a fresh temporary one (it is then kept on close). */
  home?: string;
  /** Plugins the plugin depends on: `{ name: folder }`; linked and enabled first. */
  dependencies?: Record<string, string>;
  /** Configuration of dependency plugins: `{ name: config }`. */
  dependencyConfig?: Record<string, Record<string, unknown>>;
  /** Per-call timeout in ms (default: the host's 30 s, or the tool's own). */
  callTimeoutMs?: number;
}

/** One line a plugin (or the host about a plugin) logged. */
export interface LogEntry {
  plugin?: string;
  level: string;
  message: string;
}

/** A tool call's result as an MCP client receives it: the MCP SDK's CallToolResult. */
export type ToolResult = CallToolResult;

/** A resource read as an MCP client receives it: the MCP SDK's ReadResourceResult. */
export type ResourceResult = ReadResourceResult;

export interface PromptResult {
  description?: string;
  messages: { role: 'user' | 'assistant'; content: { type: 'text'; text: string } }[];
}

/** Thrown by runHook when a guard vetoes the value. */
export class HookDeniedError extends Error {
  readonly code = 'HOOK_DENIED';
  constructor(readonly event: string, readonly plugin: string, readonly reason: string) {
    super(`${event} was denied by plugin ${plugin}: ${reason}`);
    this.name = 'HookDeniedError';
  }
}

export interface TestHost {
  /** The temporary PM_HOME. */
  readonly home: string;
  /** The plugin under test's name (from its plugin.json). */
  readonly name: string;
  /** The plugin under test's data folder. */
  readonly dataDir: string;
  /** Everything plugins logged so far (and host warnings about them), in order. */
  readonly logs: LogEntry[];
  /** The real host, for what the kit does not wrap. */
  readonly host: Host;
  /** Calls `<plugin>.<tool>` as an MCP client would: arguments validated, hooks run; failures come back as `isError` results. */
  callTool(name: string, args?: Record<string, unknown>): Promise<ToolResult>;
  /** Reads a resource by URI (resource:after-read hooks run). Rejects when no plugin provides it or the read fails. */
  readResource(uri: string): Promise<ResourceResult>;
  /** Renders `<plugin>.<prompt>` with the prompt hooks, as prompts/get does. Rejects on missing or unknown arguments. */
  getPrompt(name: string, args?: Record<string, string>): Promise<PromptResult>;
  /** Dispatches a hook event and returns the resulting value; throws HookDeniedError when a guard vetoes. */
  runHook<T = unknown>(event: string, value: T, ctx?: Record<string, unknown>): Promise<T>;
  /** Dispatches a hook event and returns the dispatcher's full result (value, denial, each handler's outcome). */
  dispatch<T = unknown>(event: string, value: T, ctx?: Record<string, unknown>): Promise<DispatchResult<T>>;
  /** Emits a (custom) event as the plugin under test would, and resolves when its handlers ran. */
  emit(event: string, value?: unknown): Promise<void>;
  /** Every tool of every enabled plugin, named `<plugin>.<tool>`. */
  listTools(): ToolInfo[];
  listResources(): ResourceInfo[];
  /** Prompt names, `<plugin>.<prompt>`. */
  listPrompts(): string[];
  /** The hook handlers registered for `event`, by plugin, in run order. */
  hookHandlers(event: string): { plugin: string; priority: number; match?: string }[];
  /** Log lines of one plugin (default: the plugin under test). */
  logsOf(plugin?: string): LogEntry[];
  /** Stops every plugin and removes the temporary PM_HOME. */
  close(): Promise<void>;
}

async function link(dir: string, home: string): Promise<string> {
  const r = await linkPlugin(resolve(dir), { home, enable: true });
  return r.name;
}

/** Writes each plugin's configuration into state.json after checking it against the manifest's schema. */
async function configure(home: string, configs: Record<string, Record<string, unknown>>): Promise<void> {
  const state = await readState(home);
  for (const [name, config] of Object.entries(configs)) {
    const rec = state.plugins[name];
    if (!rec) throw new PmError('TEST_CONFIG_UNKNOWN_PLUGIN', `config given for ${name}, which is not installed in the test host`);
    const { manifest } = await readPluginManifest(rec.linked ?? join(home, 'plugins', name));
    // Throws with the schema's message when the config does not fit: a test should learn that at once.
    await applyConfigSchema(name, manifest.config ?? null, config as never);
    rec.config = config;
  }
  await writeState(home, state);
}

/**
 * Starts a test host: a temporary PM_HOME with the plugin (and its `dependencies`) linked
 * and enabled, served by the real host. No plugin process starts until it is used.
 */
export async function createTestHost(opts: TestHostOptions): Promise<TestHost> {
  if (!opts || typeof opts.plugin !== 'string') {
    throw new PmError('TEST_HOST_NO_PLUGIN', 'createTestHost needs { plugin: <plugin folder> }', { hint: "e.g. createTestHost({ plugin: fileURLToPath(new URL('..', import.meta.url)) })" });
  }
  const ownHome = !opts.home;
  const home = opts.home ?? (await mkdtemp(join(process.env.PM_TEST_TMPDIR ?? tmpdir(), 'pmkit-test-')));
  try {
    // Dependencies first: linking checks that every dependency is present. Retried in
    // rounds so their order in the object does not matter.
    let pending = Object.entries(opts.dependencies ?? {});
    while (pending.length) {
      const failed: [string, string][] = [];
      let lastErr: unknown;
      for (const [n, dir] of pending) {
        try {
          await link(dir, home);
        } catch (err) {
          failed.push([n, dir]);
          lastErr = err;
        }
      }
      if (failed.length === pending.length) throw lastErr;
      pending = failed;
    }
    const name = await link(opts.plugin, home);
    const configs: Record<string, Record<string, unknown>> = { ...(opts.dependencyConfig ?? {}) };
    if (opts.config) configs[name] = opts.config;
    if (Object.keys(configs).length) await configure(home, configs);

    const logs: LogEntry[] = [];
    const plugins = await loadEnabledPlugins(home, (message) => logs.push({ level: 'warn', message }));
    const host = await createHost({
      home,
      plugins,
      options: {
        persistStats: false,
        env: { ...baseServerEnv(), ...(opts.env ?? {}) },
        ...(opts.callTimeoutMs ? { callTimeoutMs: opts.callTimeoutMs } : {}),
        log: (e) => logs.push({ ...(e.plugin ? { plugin: e.plugin } : {}), level: e.level, message: e.message }),
      },
    });
    const prompts = promptSourcesOf(plugins);
    const serveHost: ServeHost = {
      ...serveHostOf(host, { prompts: () => prompts }),
      reload: async () => {},
    };
    // Tool names on the wire are `<plugin>.<tool>` here, the names tests use.
    const service = new McpService(serveHost, { separator: '.', name: 'pmkit-test' });
    const me = plugins.find((p) => p.name === name);
    let closed = false;

    const th: TestHost = {
      home,
      name,
      dataDir: me?.dataDir ?? join(home, 'data', name),
      logs,
      host,
      async callTool(tool, args = {}) {
        if (!service.catalog.tools.has(tool)) {
          throw new PmError('TOOL_NOT_FOUND', `no enabled plugin provides the tool ${tool}`, {
            hint: `tools are named <plugin>.<tool>; this host has: ${[...service.catalog.tools.keys()].join(', ') || 'none'}`,
          });
        }
        return (await service.callTool(tool, args, { transport: 'test' })) as ToolResult;
      },
      async readResource(uri) {
        return (await service.readResource(uri, { transport: 'test' })) as ResourceResult;
      },
      async getPrompt(prompt, args = {}) {
        return (await service.getPrompt(prompt, args, { transport: 'test' })) as PromptResult;
      },
      async runHook(event, value, ctx) {
        const r = await host.hooks.dispatch(event, value, hookCtx(event, value, ctx));
        if (r.denied) throw new HookDeniedError(event, r.denied.plugin, r.denied.reason);
        return r.value;
      },
      dispatch(event, value, ctx) {
        return host.hooks.dispatch(event, value, hookCtx(event, value, ctx), { trace: true });
      },
      async emit(event, value) {
        await host.hooks.dispatch(event, value, { plugin: name });
      },
      listTools: () => host.listTools(),
      listResources: () => host.listResources(),
      listPrompts: () => [...service.catalog.prompts.keys()],
      hookHandlers: (event) => host.hooks.handlers(event).filter((h) => !h.removed).map((h) => ({ plugin: h.plugin, priority: h.priority, ...(h.match !== undefined ? { match: h.match } : {}) })),
      logsOf: (plugin = name) => logs.filter((l) => l.plugin === plugin),
      async close() {
        if (closed) return;
        closed = true;
        await host.close();
        if (ownHome) await rm(home, { recursive: true, force: true });
      },
    };
    return th;
  } catch (err) {
    if (ownHome) await rm(home, { recursive: true, force: true });
    throw err;
  }
}

/** Tool events carry the tool's name in the context (hooks' `match` uses it); take it from the value when not given. */
function hookCtx(event: string, value: unknown, ctx?: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { source: 'test', ...(ctx ?? {}) };
  if (event.startsWith('tool:') && out.tool === undefined && value && typeof value === 'object' && typeof (value as { tool?: unknown }).tool === 'string') {
    out.tool = (value as { tool: string }).tool;
  }
  return out;
}
