import { isDeepStrictEqual } from 'node:util';
import type { ToolContribution } from '../manifest/types.js';
import type { PluginCheckContext, ReportedTool } from './types.js';

/** The fields of a declared tool that differ from what the server reports. */
function differences(declared: ToolContribution, reported: ReportedTool): string[] {
  const out: string[] = [];
  if ((declared.description ?? '') !== (reported.description ?? '')) out.push('description');
  if (!isDeepStrictEqual(declared.inputSchema ?? {}, reported.inputSchema ?? {})) out.push('inputSchema');
  return out;
}

/**
 * A server plugin that declares `contributes.tools` (its pin, DESIGN §2): starts the server
 * through ctx.inspectEntry and requires the declared list to be exactly what it reports —
 * names, descriptions and input schemas — since anything else is "tools changed" at run time.
 * Runs only when the earlier checks found no errors (a broken server block would not start).
 */
export async function checkServerTools(ctx: PluginCheckContext): Promise<void> {
  const m = ctx.manifest;
  const declared = m?.contributes?.tools;
  if (!m || m.server === undefined || !Array.isArray(declared) || declared.length === 0) return;
  if (ctx.findings.errors.length > 0) return;
  const { findings } = ctx;
  if (!ctx.inspectEntry) {
    findings.warn('SERVER_NOT_INSPECTED', 'the server was not started, so its tools were not compared with contributes.tools', {
      where: 'contributes.tools', hint: 'run pm plugin-validate, which starts it',
    });
    return;
  }
  const r = await ctx.inspectEntry(ctx.dir, m);
  if (!r.loaded) {
    findings.error('SERVER_START_FAILED', `the server did not start and list its tools: ${r.error ?? 'no reason given'}`, {
      where: 'server', hint: 'run the command of "server" by hand: it must speak MCP (newline-delimited JSON-RPC) on stdin/stdout and log only to stderr',
    });
    return;
  }
  const reported = new Map((r.tools ?? []).map((t) => [t.name, t]));
  const names = new Set(declared.map((t) => t.name));
  declared.forEach((t, i) => {
    const got = reported.get(t.name);
    const where = `contributes.tools[${i}]`;
    if (!got) {
      findings.error('SERVER_TOOL_MISSING', `tool "${t.name}" is declared but the server does not report it`, { where, hint: 'remove the declaration, or fix the name to the one the server lists' });
      return;
    }
    const diff = differences(t, got);
    if (diff.length) {
      findings.error('SERVER_TOOL_DIFFERS', `tool "${t.name}": the ${diff.join(' and ')} declared differ${diff.length === 1 ? 's' : ''} from what the server reports`, {
        where, hint: 'copy the tool from the server\'s tools/list into contributes.tools: the declared list is the pin, and a difference is "tools changed"',
        data: { declared: t, reported: got },
      });
    }
  });
  for (const name of reported.keys()) {
    if (!names.has(name)) {
      findings.error('SERVER_TOOL_UNDECLARED', `the server reports tool "${name}", which contributes.tools does not declare`, { where: 'contributes.tools', hint: 'declare it (name, description, inputSchema as the server reports them), or remove contributes.tools to pin what the server reports on first start' });
    }
  }
}
