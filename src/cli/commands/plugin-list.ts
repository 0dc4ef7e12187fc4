import type { Command } from 'commander';
import { action } from '../action.js';
import { table } from '../table.js';

/** Registers plugin-list. */
export function register(program: Command): void {
  program
    .command('plugin-list')
    .description('list installed plugins: version, enabled, signer, source')
    .action(action(async ({ out, home }) => {
      const { listPlugins } = await import('../../core/store/list.js');
      const rows = await listPlugins({ home });
      out.result(rows, () => {
        if (!rows.length) return "No plugins installed. Install one with 'pm plugin-install <dir|tgz|url>'.";
        const src = (r: (typeof rows)[number]) => r.linked ? `linked ${'path' in r.source ? r.source.path : ''}` : r.source.type === 'url' ? r.source.url : r.source.type === 'marketplace' ? `marketplace ${r.source.marketplace}` : `${r.source.type} ${String('path' in r.source ? r.source.path : r.source.spec ?? '')}`;
        return table([
          ['NAME', 'VERSION', 'STATE', 'SIGNED BY', 'SOURCE'],
          ...rows.map((r) => [r.name, r.version, `${r.enabled ? 'enabled' : 'disabled'}${r.unsandboxed ? ', unsandboxed: full trust' : ''}`, r.signer ? (r.signerUserIds[0] ?? r.signer) : 'unsigned', src(r)]),
        ]);
      });
    }));
}
