import type { Command } from 'commander';
import { action } from '../action.js';
import { formatToolRef } from '../../core/tool-ref.js';

/** Registers plugin-info. */
export function register(program: Command): void {
  program
    .command('plugin-info')
    .description('show an installed plugin: contributions, permissions (and what is enforced), signer, source')
    .argument('<name>', 'installed plugin')
    .action(action(async ({ out, home }, name: string) => {
      const { pluginInfo } = await import('../../core/store/info.js');
      const { describeSource } = await import('../../core/store/describe-source.js');
      const { formatCost } = await import('../../core/context-cost.js');
      const i = await pluginInfo(name, { home });
      out.result(i, () => {
        const c = out.c;
        const lines = [
          `${c.bold(i.name)}@${i.version}${i.description ? ` — ${i.description}` : ''}`,
          `  state:      ${i.enabled ? 'enabled' : 'disabled'}${i.linked ? ` (linked to ${i.linked})` : ''}`,
          `  signed by:  ${i.signer ? `${i.signer.userIds.join(', ') || '?'} (${i.signer.fingerprint})` : 'unsigned'}`,
          `  integrity:  ${i.integrity ?? '-'}`,
          `  source:     ${describeSource(i.source, i)}`,
          `  size:       ${i.size} bytes`,
          `  installed:  ${i.installedAt}   updated: ${i.updatedAt}`,
          `  path:       ${i.path}`,
          `  data:       ${i.dataDir}`,
        ];
        if (i.author) lines.push(`  author:     ${i.author}`);
        lines.push(`  kind:       ${i.kind}`);
        if (i.server) {
          lines.push(`  command:    ${[i.server.command, ...i.server.args].join(' ')}`);
          if (Object.keys(i.server.env).length) lines.push(`  env:        ${Object.entries(i.server.env).map(([k, v]) => `${k}=${v}`).join(', ')}`);
          if (i.server.cwd) lines.push(`  cwd:        ${i.server.cwd}`);
        }
        if (i.pin) {
          const p = i.pin;
          lines.push(`  pin:        ${p.source === 'none' ? 'not pinned yet (the first start records the tools)' : `${p.source === 'declared' ? 'declared in plugin.json' : `recorded ${p.pinnedAt}`}, ${p.tools} tools, ${p.hash}`}`);
          if (p.changed) {
            const parts = [['added', p.changed.added], ['removed', p.changed.removed], ['modified', p.changed.modified]].filter(([, n]) => n!.length).map(([k, n]) => `${k} ${(n as string[]).join(', ')}`);
            lines.push(`  ${c.red('TOOLS CHANGED')} ${p.changed.detectedAt}: ${parts.join('; ')}${p.source === 'recorded' ? ` (review: pm plugin-tools-accept ${i.name})` : ''}`);
          }
          for (const r of [...p.renamed.tools, ...p.renamed.prompts]) lines.push(`  renamed:    ${r.name} → ${r.safe}`);
        }
        if (Object.keys(i.engines).length) lines.push(`  engines:    ${Object.entries(i.engines).map(([k, v]) => `${k} ${v}`).join(', ')}`);
        lines.push(`  context:    ${formatCost(i.contextCost)} in tools/list (estimate)`);
        if (Object.keys(i.dependencies).length) lines.push(`  depends on: ${Object.entries(i.dependencies).map(([k, v]) => `${k} ${v}`).join(', ')}`);
        const section = (title: string, items: string[]) => { if (items.length) lines.push(`${title}:`, ...items.map((s) => `  ${s}`)); };
        section('tools', i.tools.map((t) => `${formatToolRef({ plugin: i.name, tool: t.name })}${t.description ? ` — ${t.description}` : ''}`));
        section('prompts', i.prompts.map((t) => `${i.name}.${t.name}${t.description ? ` — ${t.description}` : ''}`));
        section('resources', i.resources.map((r) => `${r.uri}${r.name ? ` (${r.name})` : ''}`));
        section('hooks', i.hooks.map((h) => `${h.event} priority ${h.priority}${h.match ? ` match ${JSON.stringify(h.match)}` : ''}`));
        const mark = { enforced: c.green('enforced'), 'not-enforced': c.yellow('NOT ENFORCED'), 'full-trust': c.red('FULL TRUST'), refused: c.red('REFUSED') };
        section('permissions', i.permissions.map((p) => `${p.permission.padEnd(12)} ${p.granted} [${mark[p.enforcement]}] ${p.note}`));
        return lines;
      });
    }));
}
