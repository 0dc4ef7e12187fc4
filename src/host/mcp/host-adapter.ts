import { writeJsonAtomic } from '../../core/fs/atomic-write.js';
import { formatToolRef } from '../../core/tool-ref.js';
import { resolve } from 'node:path';
import { createHost } from '../host.js';
import { writeHookStats } from '../stats-file.js';
import { RunStatsWriter } from '../stats-runs.js';
import type { Logger } from './logger.js';
import { loadEnabledPlugins, promptSourcesOf, type ServedPlugin } from './plugins.js';
import { ToolStats, toolStatsPath } from './tool-stats.js';
import { CallAudit } from './call-audit.js';
import type { RuntimeHost } from './types.js';
import { serveHostOf } from './serve-host-of.js';
import { observeHost } from '../telemetry/plugin-metrics.js';
import { emitWebhookEvent } from '../../core/webhooks/emit.js';

/**
 * Opens the real host over PM_HOME's enabled plugins and adapts it to what the MCP server
 * needs. Plugins are loaded here (through the store's state, so linked plugins run from
 * their folders) and handed to the host; nothing starts until a tool is called.
 */
export async function openRuntimeHost(opts: { home: string; log: Logger }): Promise<RuntimeHost> {
  const { home, log } = opts;
  const warn = (m: string) => log.warn(m);
  let plugins: ServedPlugin[] = await loadEnabledPlugins(home, warn);
  const host = await createHost({
    home,
    plugins,
    options: {
      persistStats: false,
      onPluginEvent: (e) => {
        void emitWebhookEvent(home, `plugin.${e.kind}`, { plugin: e.plugin, message: e.message, ...e.details }).catch((err) => log.warn(`webhooks: could not record plugin.${e.kind}`, { error: (err as Error).message }));
      },
      log: ({ plugin, level, message }) => {
        const msg = plugin ? `[${plugin}] ${message}` : message;
        if (level === 'error') log.error(msg);
        else if (level === 'warn') log.warn(msg);
        else if (level === 'debug') log.debug(msg);
        else log.info(msg);
      },
    },
  });
  // The plugins' starts, crashes, restarts and states on /metrics and OTLP, until close.
  const unobserve = observeHost(host);
  let prompts = promptSourcesOf(plugins);
  // The host's tool list leaves out `title`; MCP clients show it when present.
  const titles = () => new Map<string, string>(plugins.flatMap((p) => (p.manifest.contributes?.tools ?? []).flatMap((t) => {
    const title = (t as { title?: unknown }).title;
    return typeof title === 'string' ? [[formatToolRef({ plugin: p.name, tool: t.name }), title] as [string, string]] : [];
  })));
  let toolTitles = titles();
  const toolStats = new ToolStats();
  const audit = new CallAudit(home);
  const run = new RunStatsWriter(home, 'serve');
  const startedAt = run.startedAt.toISOString();

  return {
    ...serveHostOf(host, { prompts: () => prompts, titles: () => toolTitles }),
    reload: async () => {
      try {
        plugins = await loadEnabledPlugins(home, warn);
      } catch (err) {
        // Fail safe: what cannot be read is not served, rather than the old set kept serving.
        log.error('cannot read the installed plugins; stopped serving all of them until a reload succeeds', { error: (err as Error).message });
        plugins = [];
      }
      const r = await host.reload(plugins);
      prompts = promptSourcesOf(plugins);
      toolTitles = titles();
      if (r.added.length || r.removed.length || r.changed.length || r.failed.length) log.info('plugins reloaded', { ...r });
    },
    recordCall: (ref, ms, ok, call) => {
      toolStats.record(ref, ms, ok, call);
      audit.record(ref, ms, ok, call);
    },
    statsSnapshot: () => ({ startedAt, tools: toolStats.toJSON() }),
    persistStats: async () => {
      const s = host.stats(true);
      await run.write({ tools: toolStats.toRun(), handlers: s.hooks, plugins: s.plugins });
      // tools.json and hooks.json keep the latest run alone, as before; pm stats reads the run files.
      await writeHookStats(home, s.hooks, s.plugins);
      await writeJsonAtomic(toolStatsPath(home), { version: 1, startedAt, writtenAt: new Date().toISOString(), pid: process.pid, tools: toolStats.toJSON() });
    },
    pluginNames: () => plugins.map((p) => p.name),
    linkedDirs: () => plugins.flatMap((p) => (p.linked ? [p.linked] : [])),
    restartPluginAt: async (dir) => {
      const target = plugins.find((p) => p.linked && resolve(p.linked) === resolve(dir));
      if (!target) return;
      // Dropping the plugin and adding it back restarts its process with the new code.
      await host.reload(plugins.filter((p) => p !== target));
      plugins = await loadEnabledPlugins(home, warn);
      prompts = promptSourcesOf(plugins);
      toolTitles = titles();
      await host.reload(plugins);
    },
    close: async () => {
      unobserve();
      await host.close();
      await audit.close();
    },
  };
}
