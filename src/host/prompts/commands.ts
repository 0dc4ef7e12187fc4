import { formatPrompt, PROMPT_FORMATS, type PromptFormat } from './format.js';
import { renderPrompt } from './render.js';
import { enabledPromptSources, findPrompt } from './sources.js';
import { PmError } from '../../core/errors.js';

/** One row of `pm prompt-list`. */
export interface PromptListEntry {
  /** `<plugin>.<prompt>` */
  id: string;
  plugin: string;
  name: string;
  description: string | null;
  arguments: { name: string; description: string | null; required: boolean }[];
  roles: string[];
}

/** Lists the prompts of every enabled plugin; `warn` hears about plugins that cannot be read. */
export async function listPrompts(opts: { home: string; plugin?: string; warn?: (msg: string) => void }): Promise<PromptListEntry[]> {
  const sources = await enabledPromptSources(opts.home, opts.warn);
  return sources
    .filter((s) => !opts.plugin || s.plugin === opts.plugin)
    .map((s) => ({
      id: `${s.plugin}.${s.prompt.name}`,
      plugin: s.plugin,
      name: s.prompt.name,
      description: s.prompt.description ?? null,
      arguments: (s.prompt.arguments ?? []).map((a) => ({ name: a.name, description: a.description ?? null, required: Boolean(a.required) })),
      roles: s.prompt.messages.map((m) => m.role),
    }));
}

/** Parses repeated `--arg k=v` values into an object; `v` may contain `=`. */
export function parsePromptArgs(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) {
      throw new PmError('PROMPT_ARGUMENT_INVALID', `--arg '${p}' is not key=value`, { hint: 'write each argument as --arg name=value' });
    }
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

/** Renders a prompt (`<plugin>.<prompt>` or the client's `<plugin>__<prompt>`) with `args` in `format` (text: a string; openai/anthropic: JSON values); `id` in the result is the `<plugin>.<prompt>` form. */
export async function renderPromptById(id: string, opts: { home: string; args: Record<string, string>; format: string; warn?: (msg: string) => void }): Promise<{ id: string; format: PromptFormat; output: unknown }> {
  if (!(PROMPT_FORMATS as readonly string[]).includes(opts.format)) {
    throw new PmError('PROMPT_FORMAT_UNKNOWN', `unknown format '${opts.format}'`, { hint: `use one of: ${PROMPT_FORMATS.join(', ')}` });
  }
  const format = opts.format as PromptFormat;
  const source = findPrompt(await enabledPromptSources(opts.home, opts.warn), id);
  const canonical = `${source.plugin}.${source.prompt.name}`;
  const messages = await renderPrompt(source, opts.args);
  return { id: canonical, format, output: formatPrompt(messages, format, canonical) };
}
