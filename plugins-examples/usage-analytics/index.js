// usage-analytics: hooks that observe every tool call (they never change or block one),
// figures kept in memory and in the data folder so they survive the process being stopped.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

let figures = {};
let file;
let samplesKept = 500;
/** Start times of calls in flight, per tool, oldest first. */
const inFlight = new Map();
/** A call that never came back (it threw or timed out before tool:after-call) is forgotten after this. */
const STALE_MS = 10 * 60 * 1000;

function persist() {
  writeFileSync(file + '.tmp', JSON.stringify(figures));
  renameSync(file + '.tmp', file);
}

function entry(tool) {
  return (figures[tool] ??= { calls: 0, errors: 0, totalMs: 0, maxMs: 0, samples: [] });
}

function p95(samples) {
  if (!samples.length) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)];
}

const round = (n) => Math.round(n * 10) / 10;

/** The report: per tool, busiest first. */
function report(prefix = '') {
  const tools = {};
  for (const [name, f] of Object.entries(figures).filter(([n]) => n.startsWith(prefix)).sort((a, b) => b[1].calls - a[1].calls || a[0].localeCompare(b[0]))) {
    tools[name] = { calls: f.calls, errors: f.errors, avgMs: f.calls ? round(f.totalMs / f.calls) : 0, p95Ms: round(p95(f.samples)), maxMs: round(f.maxMs) };
  }
  return { tools };
}

export default {
  activate(ctx) {
    file = join(ctx.dataDir, 'usage.json');
    samplesKept = ctx.config.samples ?? 500;
    try {
      figures = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      if (err.code !== 'ENOENT') ctx.log.warn(`starting from zero: ${file} is unreadable (${err.message})`);
      figures = {};
    }
  },

  hooks: {
    /** A guard that allows everything: it only notes when the call started. Priority 1000 runs it after real guards. */
    'tool:before-call'(value, ctx) {
      const tool = ctx.tool ?? value.tool;
      const now = Date.now();
      const list = (inFlight.get(tool) ?? []).filter((t) => now - t < STALE_MS);
      list.push(performance.now());
      inFlight.set(tool, list);
      return undefined;
    },
    /** A filter that returns nothing (the result passes unchanged): counts the call, its error and latency. */
    'tool:after-call'(result, ctx) {
      const tool = ctx.tool;
      if (!tool) return undefined;
      const started = inFlight.get(tool)?.shift();
      const f = entry(tool);
      f.calls++;
      if (result?.isError) f.errors++;
      if (started !== undefined) {
        const ms = performance.now() - started;
        f.totalMs += ms;
        f.maxMs = Math.max(f.maxMs, ms);
        f.samples.push(ms);
        if (f.samples.length > samplesKept) f.samples.splice(0, f.samples.length - samplesKept);
      }
      persist();
      return undefined;
    },
  },

  tools: {
    report({ prefix }) {
      const r = report(prefix);
      const lines = Object.entries(r.tools).map(([n, t]) => `${n}: ${t.calls} call(s), ${t.errors} error(s), avg ${t.avgMs} ms, p95 ${t.p95Ms} ms, max ${t.maxMs} ms`);
      return { content: [{ type: 'text', text: lines.length ? lines.join('\n') : 'No tool calls recorded yet.' }], structuredContent: r };
    },
    reset() {
      const n = Object.keys(figures).length;
      figures = {};
      persist();
      return `Forgot the figures of ${n} tool(s).`;
    },
  },

  resources: {
    'usage://report'() {
      return { text: JSON.stringify(report(), null, 2), mimeType: 'application/json' };
    },
  },
};
