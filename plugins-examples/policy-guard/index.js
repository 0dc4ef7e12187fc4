// policy-guard: a tool:before-call guard. Returning { deny: reason } vetoes the call; pm
// then answers the client with an error naming this plugin and the reason.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let auditFile;
let rules = { tools: [], patterns: [], auditAllowed: true };

/** A glob over tool names: `*` is any run of characters, everything else literal. */
function glob(g) {
  return new RegExp('^' + g.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
}

/** Every string in the arguments with its path (a.b.0), so nested values are checked too. */
function strings(value, path = '') {
  if (typeof value === 'string') return [[path, value]];
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => strings(v, path ? `${path}.${k}` : k));
  }
  return [];
}

/** The first rule the call breaks, or undefined. */
function decide(tool, args) {
  for (const r of rules.tools) if (r.re.test(tool)) return { rule: `blockTools ${r.glob}`, reason: `the tool ${tool} is blocked by policy (${r.glob})` };
  for (const p of rules.patterns) {
    if (p.tool && !p.tool.test(tool)) continue;
    for (const [path, text] of strings(args ?? {})) {
      if (p.argument !== undefined && path !== p.argument) continue;
      if (p.re.test(text)) return { rule: `blockPatterns ${p.source}`, reason: p.reason ?? `argument '${path}' matches the blocked pattern /${p.source}/` };
    }
  }
  return undefined;
}

function audit(line) {
  appendFileSync(auditFile, JSON.stringify({ time: new Date().toISOString(), ...line }) + '\n');
}

export default {
  activate(ctx) {
    auditFile = join(ctx.dataDir, 'audit.jsonl');
    const c = ctx.config;
    rules = {
      tools: (c.blockTools ?? []).map((g) => ({ glob: g, re: glob(g) })),
      // A bad pattern must not silently disable the guard: activate fails and pm says why.
      patterns: (c.blockPatterns ?? []).map((p) => {
        try {
          return { source: p.pattern, re: new RegExp(p.pattern, 'i'), tool: p.tool ? glob(p.tool) : undefined, argument: p.argument, reason: p.reason };
        } catch (err) {
          throw new Error(`blockPatterns: /${p.pattern}/ is not a valid regular expression: ${err.message}`);
        }
      }),
      auditAllowed: c.auditAllowed !== false,
    };
  },

  hooks: {
    'tool:before-call'(value, ctx) {
      const tool = ctx.tool ?? value.tool;
      const verdict = decide(tool, value.arguments);
      if (verdict) {
        audit({ tool, decision: 'deny', rule: verdict.rule, ...(ctx.caller ? { caller: ctx.caller } : {}) });
        return { deny: verdict.reason };
      }
      if (rules.auditAllowed) audit({ tool, decision: 'allow', ...(ctx.caller ? { caller: ctx.caller } : {}) });
      return undefined;
    },
  },

  tools: {
    audit({ limit = 20, decision }) {
      let lines = [];
      try {
        lines = readFileSync(auditFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
      } catch (err) {
        if (err.code !== 'ENOENT') throw err;
      }
      const picked = lines.filter((l) => !decision || l.decision === decision).slice(-limit);
      const text = picked.length ? picked.map((l) => `${l.time} ${l.decision.padEnd(5)} ${l.tool}${l.rule ? ` (${l.rule})` : ''}`).join('\n') : 'No decisions recorded yet.';
      return { content: [{ type: 'text', text }], structuredContent: { entries: picked } };
    },
  },
};
