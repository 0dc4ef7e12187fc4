/**
 * `registry-build --claude-marketplace`: the site also becomes a Claude Code marketplace
 * (`.claude-plugin/marketplace.json`), one Claude Code plugin per pm plugin whose `.mcp.json`
 * runs it through `pm serve --mcp --profile <name>`, so pm's signature checks, sandbox, pins
 * and secrets still apply (the packages are pm packages, which npx/uvx could not run anyway).
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import type { IndexPlugin, RegistryIndex } from '../index-format/types.js';

/** The folder of the site that holds the generated Claude Code plugins. */
export const CLAUDE_PLUGINS_DIR = 'claude-plugins';

/** One Claude Code plugin's files (paths relative to the site). */
export function claudePluginFiles(registry: RegistryIndex, name: string, p: IndexPlugin): Record<string, string> {
  const dir = `${CLAUDE_PLUGINS_DIR}/${name}`;
  const url = registry.url ?? '<url of this site>';
  const setup = [
    `pm marketplace-add ${registry.name} ${url} --key key.asc   # key.asc: the key file at ${url}`,
    `pm marketplace-install ${name}`,
    `pm profile-set ${name} --plugins ${name}`,
  ];
  const manifest = {
    name, version: p.latest, description: p.description,
    ...(p.author ? { author: { name: p.author } } : {}),
    ...(p.homepage ? { homepage: p.homepage } : {}),
    ...(p.license ? { license: p.license } : {}),
    ...(p.tags.length ? { keywords: p.tags } : {}),
  };
  const mcp = { mcpServers: { [name]: { command: 'pm', args: ['serve', '--mcp', '--profile', name] } } };
  const readme = [
    `# ${name} (pm plugin, served through pm)`, '', p.description, '',
    `This Claude Code plugin runs \`pm serve --mcp --profile ${name}\`. Set pm up once:`, '',
    '```sh', ...setup, '```', '',
    `pm verifies the package's signature against the key pinned with marketplace-add, runs it in its sandbox with the permissions it declares, and keeps its secrets (pm secret-set).`, '',
  ].join('\n');
  return {
    [`${dir}/.claude-plugin/plugin.json`]: `${JSON.stringify(manifest, null, 2)}\n`,
    [`${dir}/.mcp.json`]: `${JSON.stringify(mcp, null, 2)}\n`,
    [`${dir}/README.md`]: readme,
  };
}

/** The Claude Code marketplace.json of a pm registry index: one entry per plugin, sources inside the site. */
export function claudeMarketplace(registry: RegistryIndex, owner: string): Record<string, unknown> {
  return {
    name: registry.name,
    owner: { name: owner },
    metadata: { description: `pm plugins of the ${registry.name} registry, served through pm`, version: String(registry.version) },
    plugins: Object.entries(registry.plugins).map(([name, p]) => ({
      name, source: `./${CLAUDE_PLUGINS_DIR}/${name}`, description: p.description, version: p.latest,
      ...(p.author ? { author: { name: p.author } } : {}),
      ...(p.categories[0] ? { category: p.categories[0] } : {}),
      ...(p.tags.length ? { keywords: p.tags } : {}),
    })),
  };
}

/** Writes `.claude-plugin/marketplace.json` and one plugin folder per pm plugin into the site; returns the files written. */
export async function writeClaudeMarketplace(out: string, registry: RegistryIndex, owner?: string): Promise<string[]> {
  const files: Record<string, string> = {};
  for (const [name, p] of Object.entries(registry.plugins)) Object.assign(files, claudePluginFiles(registry, name, p));
  files['.claude-plugin/marketplace.json'] = `${JSON.stringify(claudeMarketplace(registry, owner ?? registry.name), null, 2)}\n`;
  for (const [rel, text] of Object.entries(files)) await writeFileAtomic(join(out, rel), text);
  return Object.keys(files).sort();
}
