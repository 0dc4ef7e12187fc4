import type { PluginSource } from './state.js';

/**
 * Where an installed plugin came from, in words: "folder /p", "linked folder /p",
 * "tarball /p/notes-1.0.0.tgz sha512-AbC…", "download https://…", "registry acme notes@1.2.0".
 */
export function describeSource(source: PluginSource, plugin: { name: string; version: string; integrity?: string | null }): string {
  // The first characters of the integrity are enough to tell two packages apart at a glance.
  const short = plugin.integrity ? ` ${plugin.integrity.slice(0, 19)}…` : '';
  switch (source.type) {
    case 'dir': return `folder ${source.path}`;
    case 'link': return `linked folder ${source.path}`;
    case 'tgz': return `tarball ${source.path}${short}`;
    case 'url': return `download ${source.url}${short}`;
    case 'marketplace': return `registry ${source.marketplace} ${plugin.name}@${plugin.version}${source.url ? ` (${source.url})` : ''}`;
    case 'npm': case 'pypi': return `${source.type} ${String(source.spec ?? '')}${source.resolved ? ` (resolved ${String(source.resolved)})` : ''}`;
    case 'mcpb': {
      // signed / self-signed / unsigned and the signer, as the bundle's verification found them.
      const signer = source.signer as { subject?: string; trusted?: boolean } | undefined;
      const sig = `${String(source.signature ?? 'unsigned')}${signer?.subject ? ` by ${signer.subject}${signer.trusted ? ', trusted' : ', not trusted'}` : ''}`;
      return `mcpb bundle ${String(source.spec ?? '')} (${sig})${source.sha256 ? ` sha256 ${String(source.sha256).slice(0, 16)}…` : ''}`;
    }
    case 'local': return `local command${source.spec ? ` ${String(source.spec)}` : ''} (mcp-add)`;
    default: return JSON.stringify(source);
  }
}
