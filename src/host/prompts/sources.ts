import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PmError } from '../../core/errors.js';
import { pluginDir, readState } from '../../core/store/state.js';
import type { PromptSource, PromptSpec } from './types.js';

/** The prompts of every enabled plugin, from their installed manifests (no plugin code runs). */
export async function enabledPromptSources(home: string): Promise<PromptSource[]> {
  const state = await readState(home);
  const out: PromptSource[] = [];
  for (const name of Object.keys(state.plugins).sort()) {
    if (!state.plugins[name].enabled) continue;
    const dir = pluginDir(home, name, state);
    let manifest: { contributes?: { prompts?: PromptSpec[] } };
    try {
      manifest = JSON.parse(await readFile(join(dir, 'plugin.json'), 'utf8'));
    } catch (err) {
      throw new PmError('MANIFEST_UNREADABLE', `cannot read the manifest of plugin ${name} in ${dir}: ${(err as Error).message}`, {
        hint: `reinstall it ('pm plugin-install') or check the store with 'pm doctor'`,
        data: { plugin: name, dir },
      });
    }
    for (const prompt of manifest.contributes?.prompts ?? []) out.push({ plugin: name, dir, prompt });
  }
  return out;
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
