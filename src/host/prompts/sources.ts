import { PmError } from '../../core/errors.js';
import { loadEnabledPlugins, promptSourcesOf } from '../mcp/plugins.js';
import type { PromptSource } from './types.js';

/** The prompts of every enabled plugin, from their installed manifests (no plugin code runs); unreadable plugins are skipped with a warning. */
export async function enabledPromptSources(home: string, warn: (msg: string) => void = () => {}): Promise<PromptSource[]> {
  return promptSourcesOf(await loadEnabledPlugins(home, warn, { applyConfig: false }));
}

// What `pm serve --name-separator` accepts: a name the client shows may use any of these.
const WIRE_SEPARATOR = /^[A-Za-z0-9_-]{1,8}$/;

/** The separator between `plugin` and `prompt` in `id` (`.`, `__` or another wire separator), or undefined. */
function separatorIn(id: string, s: PromptSource): string | undefined {
  if (!id.startsWith(s.plugin) || !id.endsWith(s.prompt.name)) return undefined;
  const sep = id.slice(s.plugin.length, id.length - s.prompt.name.length);
  return sep === '.' || WIRE_SEPARATOR.test(sep) ? sep : undefined;
}

/**
 * Finds a prompt named as `<plugin>.<prompt>` or as MCP clients show it (`<plugin>__<prompt>`,
 * or with the separator given to `pm serve --name-separator`), or says what exists.
 */
export function findPrompt(sources: PromptSource[], id: string): PromptSource {
  const matches = sources.filter((s) => separatorIn(id, s) !== undefined);
  // The documented forms win over a guessed separator (plugin "a-b" vs plugin "a" + "-").
  const found = matches.find((s) => separatorIn(id, s) === '.') ?? matches.find((s) => separatorIn(id, s) === '__') ?? (matches.length === 1 ? matches[0] : undefined);
  if (found) return found;
  const sep = /\.|__/.exec(id);
  if (!sep || sep.index === 0 || sep.index + sep[0].length === id.length) {
    throw new PmError('PROMPT_ID_INVALID', `'${id}' is not a prompt name`, {
      hint: "name a prompt as <plugin>.<prompt> (or <plugin>__<prompt>, as MCP clients show it), e.g. prompt-pack.summary; 'pm prompt-list' shows them",
    });
  }
  const plugin = id.slice(0, sep.index);
  const ofPlugin = sources.filter((s) => s.plugin === plugin).map((s) => `${s.plugin}.${s.prompt.name}`);
  throw new PmError('PROMPT_NOT_FOUND', `no enabled plugin has the prompt ${id}`, {
    hint: ofPlugin.length ? `${plugin} has: ${ofPlugin.join(', ')}` : `is ${plugin} installed and enabled? 'pm prompt-list' shows every prompt`,
    data: { prompt: id },
  });
}
