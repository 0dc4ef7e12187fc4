import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { PmError } from '../../core/errors.js';
import type { PromptSource, RenderedMessage } from './types.js';

type Template = (context: unknown) => string;

type Hbs = { compile(src: string, opts: { noEscape: boolean }): unknown };
let hbs: Promise<Hbs> | undefined;

/** An isolated Handlebars environment, loaded on first use (a server may never render a prompt). */
function handlebars(): Promise<Hbs> {
  // Isolated: plugins never see or change global helpers.
  hbs ??= import('handlebars').then((m) => (m.default as unknown as { create(): Hbs }).create());
  return hbs;
}

/**
 * Compiled templates by absolute path (or inline text). A server renders the same prompt
 * many times; `clear()` it when plugins reload.
 */
export class TemplateCache {
  private readonly compiled = new Map<string, Template>();

  async get(key: string, load: () => Promise<string>): Promise<Template> {
    let t = this.compiled.get(key);
    if (!t) {
      // Prompts are plain text for a model, not HTML: no escaping.
      t = (await handlebars()).compile(await load(), { noEscape: true }) as Template;
      this.compiled.set(key, t);
    }
    return t;
  }

  clear(): void {
    this.compiled.clear();
  }
}

/** Checks `args` against the prompt's declared arguments: every required one present, no unknown one. */
export function checkPromptArguments(source: PromptSource, args: Record<string, string>): void {
  const id = `${source.plugin}.${source.prompt.name}`;
  const declared = source.prompt.arguments ?? [];
  for (const a of declared) {
    const v = args[a.name];
    if (a.required && (v === undefined || v === '')) {
      throw new PmError('PROMPT_ARGUMENT_MISSING', `prompt ${id} needs the argument '${a.name}'${a.description ? ` (${a.description})` : ''}`, {
        hint: `give '${a.name}' a value, e.g. --arg ${a.name}=…`,
        data: { prompt: id, argument: a.name },
      });
    }
  }
  const names = new Set(declared.map((a) => a.name));
  for (const k of Object.keys(args)) {
    if (!names.has(k)) {
      throw new PmError('PROMPT_ARGUMENT_UNKNOWN', `prompt ${id} has no argument '${k}'`, {
        hint: declared.length ? `its arguments are: ${[...names].join(', ')}` : 'it takes no arguments',
        data: { prompt: id, argument: k },
      });
    }
  }
}

/** Resolves a template path inside the plugin folder, refusing one that points outside it. */
function templatePath(source: PromptSource, file: string): string {
  const dir = resolve(source.dir);
  const p = resolve(dir, file);
  const rel = relative(dir, p);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new PmError('PROMPT_TEMPLATE_OUTSIDE', `prompt ${source.plugin}.${source.prompt.name}: template '${file}' is outside the plugin folder`, {
      hint: 'keep prompt templates inside the plugin, e.g. prompts/name.hbs',
      data: { prompt: `${source.plugin}.${source.prompt.name}`, template: file },
    });
  }
  return p;
}

/**
 * Renders a manifest prompt's Handlebars templates with `args` (checked first) and returns
 * its messages in order. Runs in the host: prompts need no plugin process.
 */
export async function renderPrompt(source: PromptSource, args: Record<string, string>, cache = new TemplateCache()): Promise<RenderedMessage[]> {
  checkPromptArguments(source, args);
  const id = `${source.plugin}.${source.prompt.name}`;
  // Declared-but-absent optional arguments render as empty, not as "undefined".
  const context: Record<string, string> = {};
  for (const a of source.prompt.arguments ?? []) context[a.name] = '';
  Object.assign(context, args);
  const out: RenderedMessage[] = [];
  for (const [i, m] of source.prompt.messages.entries()) {
    let template: Template;
    if (m.template !== undefined) {
      const path = templatePath(source, m.template);
      template = await cache.get(path, async () => {
        try {
          return await readFile(path, 'utf8');
        } catch (err) {
          throw new PmError('PROMPT_TEMPLATE_MISSING', `prompt ${id}: cannot read template '${m.template}': ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
            hint: 'check the path in contributes.prompts[].messages[].template; it is relative to the plugin folder',
            data: { prompt: id, template: m.template },
            cause: err,
          });
        }
      });
    } else if (m.text !== undefined) {
      template = await cache.get(`inline:${m.text}`, async () => m.text as string);
    } else {
      throw new PmError('PROMPT_MESSAGE_EMPTY', `prompt ${id}: message ${i + 1} has neither a template nor text`, {
        hint: 'give each message a "template" file (or inline "text")',
        data: { prompt: id, message: i },
      });
    }
    try {
      // Template files end with a newline by convention; a model should not get it.
      out.push({ role: m.role, text: template(context).trimEnd() });
    } catch (err) {
      throw new PmError('PROMPT_TEMPLATE_INVALID', `prompt ${id}: message ${i + 1} does not render: ${(err as Error).message.split('\n')[0]}`, {
        hint: 'fix the Handlebars syntax of the template',
        data: { prompt: id, message: i },
        cause: err,
      });
    }
  }
  return out;
}
