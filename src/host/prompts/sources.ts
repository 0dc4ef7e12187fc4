import { PmError } from '../../core/errors.js';
import { loadEnabledPlugins, promptSourcesOf } from '../mcp/plugins.js';
import type { PromptSource } from './types.js';

/** The prompts of every enabled plugin, from their installed manifests (no plugin code runs); unreadable plugins are skipped with a warning. */
export async function enabledPromptSources(home: string, warn: (msg: string) => void = () => {}): Promise<PromptSource[]> {
  return promptSourcesOf(await loadEnabledPlugins(home, warn, { applyConfig: false }));
}

/** Finds `<plugin>.<prompt>` among the enabled plugins' prompts, or says what exists. */
export function findPrompt(sources: PromptSource[], id: string): PromptSource {
  const dot = id.indexOf('.');
  if (dot <= 0 || dot === id.length - 1) {
    throw new PmError('PROMPT_ID_INVALID', `'${id}' is not a prompt name`, {
      kind: 'usage',
      hint: "name a prompt as <plugin>.<prompt>, e.g. notes.summarize; 'pm prompt-list' shows them",
    });
  }
  const plugin = id.slice(0, dot);
  const name = id.slice(dot + 1);
  const found = sources.find((s) => s.plugin === plugin && s.prompt.name === name);
  if (found) return found;
  const ofPlugin = sources.filter((s) => s.plugin === plugin).map((s) => `${s.plugin}.${s.prompt.name}`);
  throw new PmError('PROMPT_NOT_FOUND', `no enabled plugin has the prompt ${id}`, {
    hint: ofPlugin.length ? `${plugin} has: ${ofPlugin.join(', ')}` : `is ${plugin} installed and enabled? 'pm prompt-list' shows every prompt`,
    data: { prompt: id },
  });
}
