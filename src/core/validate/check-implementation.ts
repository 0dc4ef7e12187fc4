import { findSyntaxError } from '../build/find-syntax-error.js';
import { isScanned } from './check-code.js';
import type { PluginCheckContext } from './types.js';

/**
 * plugin-validate's sandbox check (DESIGN §2): loads the entry in the host's sandbox (through
 * ctx.inspectEntry, which the CLI and the testing kit wire to host/inspect-entry, so core
 * imports nothing from host/) and requires every declared tool, resource and hook to be
 * implemented and nothing undeclared to be. Runs only when the earlier checks found no
 * errors outside the manifest (an entry or code that is already wrong would only repeat
 * itself here), and whatever the manifest declares, even nothing; without
 * an inspector it says so as a warning rather than passing silently.
 */
export async function checkImplementation(ctx: PluginCheckContext): Promise<void> {
  const m = ctx.manifest;
  if (!m || typeof m.main !== 'string' || m.main === '') return;
  // Manifest errors do not stop it: a misspelt contributes.tool must still show the entry's tools as undeclared.
  const manifestErrors = ctx.findings.errors.filter((f) => f.code.startsWith('MANIFEST_')).length;
  if (ctx.findings.errors.length > manifestErrors) return;
  // An unbuilt TypeScript entry is only a warning before here; there is nothing to load yet.
  if (ctx.findings.items.some((f) => f.code.startsWith('ENTRY_'))) return;
  const c = m.contributes ?? {};
  if (!ctx.inspectEntry) {
    ctx.findings.warn('ENTRY_NOT_INSPECTED', 'the entry was not loaded in the sandbox, so declared and implemented tools, resources and hooks were not compared', {
      where: 'main', hint: 'run pm plugin-validate, which loads it',
    });
    return;
  }
  let r: Awaited<ReturnType<typeof ctx.inspectEntry>>;
  try {
    r = await ctx.inspectEntry(ctx.dir, m);
  } catch (err) {
    // A manifest too broken to start the sandbox with is already reported above.
    if (manifestErrors > 0) return;
    throw err;
  }
  const { findings } = ctx;
  if (!r.loaded) {
    if (manifestErrors > 0) return; // e.g. contributes.tools is not a list: the manifest error says so
    const syntax = await findSyntaxError((await ctx.files()).filter((f) => isScanned(f) && /\.[cm]?js$/.test(f.path)));
    if (syntax) {
      findings.error('ENTRY_SYNTAX', `${syntax.message} (${JSON.stringify(m.main)} does not load: ${r.error})`, { where: syntax.where, hint: 'fix the syntax error, then run the command again' });
      return;
    }
    findings.error('ENTRY_LOAD_FAILED', `${JSON.stringify(m.main)} does not load in the plugin sandbox: ${r.error}`, {
      where: 'main', hint: 'the entry must import only files inside the plugin folder and export an object: export default { tools: { … } }',
    });
    return;
  }
  const at = <T>(list: T[] | undefined, pick: (x: T) => string, name: string) => Math.max(0, (Array.isArray(list) ? list : []).findIndex((x) => pick(x) === name));
  // With manifest errors, declared-but-missing would only repeat them (a misspelt hook event); undeclared is what they hide.
  const missing = manifestErrors > 0 ? { tools: [], resources: [], hooks: [] } : r.missing;
  for (const t of missing.tools) {
    findings.error('TOOL_NOT_IMPLEMENTED', `tool "${t}" is declared but the entry's tools has no ${t} function`, { where: `contributes.tools[${at(c.tools, (x) => x.name, t)}]`, hint: `add tools: { ${JSON.stringify(t)}: async (args, ctx) => … } to the entry, or remove the declaration` });
  }
  for (const u of missing.resources) {
    findings.error('RESOURCE_NOT_IMPLEMENTED', `resource "${u}" is declared but the entry's resources has no handler for it`, { where: `contributes.resources[${at(c.resources, (x) => x.uri, u)}]`, hint: `add resources: { ${JSON.stringify(u)}: async (params, ctx) => ({ text }) } to the entry` });
  }
  for (const e of missing.hooks) {
    findings.error('HOOK_NOT_IMPLEMENTED', `hook "${e}" is declared but the entry's hooks has no handler for it`, { where: `contributes.hooks[${at(c.hooks, (x) => x.event, e)}]`, hint: `add hooks: { ${JSON.stringify(e)}: async (value, ctx) => value } to the entry` });
  }
  for (const t of r.undeclared.tools) {
    findings.error('TOOL_UNDECLARED', `the entry implements tool "${t}", which plugin.json does not declare`, { where: 'contributes.tools', hint: 'declare it in contributes.tools (name, description, inputSchema) or remove it from the entry' });
  }
  for (const u of r.undeclared.resources) {
    findings.error('RESOURCE_UNDECLARED', `the entry implements resource "${u}", which plugin.json does not declare`, { where: 'contributes.resources', hint: 'declare it in contributes.resources or remove it from the entry' });
  }
  for (const e of r.undeclared.hooks) {
    findings.error('HOOK_UNDECLARED', `the entry implements hook "${e}", which plugin.json does not declare`, { where: 'contributes.hooks', hint: 'declare it in contributes.hooks or remove it from the entry' });
  }
}
