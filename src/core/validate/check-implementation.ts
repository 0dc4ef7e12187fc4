import type { PluginCheckContext } from './types.js';

/**
 * plugin-validate's sandbox check (DESIGN §2): loads the entry in the host's sandbox (through
 * ctx.inspectEntry, which the CLI and the testing kit wire to host/inspect-entry, so core
 * imports nothing from host/) and requires every declared tool, resource and hook to be
 * implemented and nothing undeclared to be. Runs only when the earlier checks found no
 * errors (a manifest or entry that is already wrong would only repeat itself here); without
 * an inspector it says so as a warning rather than passing silently.
 */
export async function checkImplementation(ctx: PluginCheckContext): Promise<void> {
  const m = ctx.manifest;
  if (!m || ctx.findings.errors.length > 0 || typeof m.main !== 'string' || m.main === '') return;
  // An unbuilt TypeScript entry is only a warning before here; there is nothing to load yet.
  if (ctx.findings.items.some((f) => f.code.startsWith('ENTRY_'))) return;
  const c = m.contributes ?? {};
  if (!c.tools?.length && !c.resources?.length && !c.hooks?.length) return;
  if (!ctx.inspectEntry) {
    ctx.findings.warn('ENTRY_NOT_INSPECTED', 'the entry was not loaded in the sandbox, so declared and implemented tools, resources and hooks were not compared', {
      where: 'main', hint: 'run pm plugin-validate, which loads it',
    });
    return;
  }
  const r = await ctx.inspectEntry(ctx.dir, m);
  const { findings } = ctx;
  if (!r.loaded) {
    findings.error('ENTRY_LOAD_FAILED', `${JSON.stringify(m.main)} does not load in the plugin sandbox: ${r.error}`, {
      where: 'main', hint: 'the entry must import only files inside the plugin folder and export an object: export default { tools: { … } }',
    });
    return;
  }
  const at = <T>(list: T[] | undefined, pick: (x: T) => string, name: string) => Math.max(0, (list ?? []).findIndex((x) => pick(x) === name));
  for (const t of r.missing.tools) {
    findings.error('TOOL_NOT_IMPLEMENTED', `tool "${t}" is declared but the entry's tools has no ${t} function`, { where: `contributes.tools[${at(c.tools, (x) => x.name, t)}]`, hint: `add tools: { ${JSON.stringify(t)}: async (args, ctx) => … } to the entry, or remove the declaration` });
  }
  for (const u of r.missing.resources) {
    findings.error('RESOURCE_NOT_IMPLEMENTED', `resource "${u}" is declared but the entry's resources has no handler for it`, { where: `contributes.resources[${at(c.resources, (x) => x.uri, u)}]`, hint: `add resources: { ${JSON.stringify(u)}: async (params, ctx) => ({ text }) } to the entry` });
  }
  for (const e of r.missing.hooks) {
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
