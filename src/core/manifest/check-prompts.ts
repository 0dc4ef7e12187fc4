import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { fileKind, readRegularText } from '../fs/read-regular-file.js';
import { isWithin } from '../fs/real-path.js';
import type { ManifestCheckContext } from './check-context.js';
import { childPath } from './json-path.js';
import { arrayOf, field, str } from './shape.js';

/** A prompt template is text for a model; more than this is not one. */
const MAX_TEMPLATE_BYTES = 1024 * 1024;

/** Each prompt template is a relative path inside the plugin folder, exists, and compiles with Handlebars. */
export async function checkPromptTemplates(ctx: ManifestCheckContext): Promise<void> {
  const { manifest: m, findings, dir } = ctx;
  const prompts = arrayOf(field(field(m, 'contributes'), 'prompts'));
  const jobs: { where: string; template: string }[] = [];
  prompts.forEach((p, i) => {
    arrayOf(field(p, 'messages')).forEach((msg, j) => {
      const template = str(field(msg, 'template'));
      if (template) jobs.push({ where: `${childPath(childPath('contributes.prompts', i), 'messages')}[${j}].template`, template });
    });
  });
  if (!jobs.length) return;

  const outside = (where: string, template: string) =>
    findings.error('MANIFEST_TEMPLATE_OUTSIDE', `${JSON.stringify(template)} is outside the plugin folder`, {
      where,
      hint: 'give a path relative to the plugin folder without .., e.g. prompts/summarize.user.hbs',
    });
  // Lexical checks need no folder; they keep a manifest honest wherever it is read.
  const inRange = jobs.filter(({ where, template }) => {
    const parts = template.split(/[\\/]/);
    if (isAbsolute(template) || /^[A-Za-z]:/.test(template) || parts.includes('..')) {
      outside(where, template);
      return false;
    }
    return true;
  });
  if (!dir) return;

  const { default: Handlebars } = await import('handlebars');
  const root = await realpath(dir).catch(() => resolve(dir));
  for (const { where, template } of inRange) {
    const file = resolve(root, template);
    let real: string;
    try {
      real = await realpath(file);
      const s = await stat(real);
      if (!s.isFile()) {
        findings.error('MANIFEST_TEMPLATE_MISSING', `${JSON.stringify(template)} is ${fileKind(s)}, not a regular file`, { where, hint: `make ${template} a regular file` });
        continue;
      }
    } catch {
      findings.error('MANIFEST_TEMPLATE_MISSING', `${JSON.stringify(template)} does not exist`, {
        where,
        hint: `create ${template} in the plugin folder, or fix the path`,
      });
      continue;
    }
    if (!isWithin(real, root)) {
      outside(where, template); // a link pointing out of the folder
      continue;
    }
    let text: string;
    try {
      // A FIFO or device here must not hang validation (which plugin-install runs under the store lock).
      text = await readRegularText(real, { what: 'the template', maxBytes: MAX_TEMPLATE_BYTES });
    } catch (err) {
      findings.error('MANIFEST_TEMPLATE_INVALID', `${JSON.stringify(template)} cannot be read: ${(err as Error).message}`, { where, hint: 'a prompt template must be a regular file of at most 1 MiB' });
      continue;
    }
    try {
      // precompile parses the whole template; compile() alone is lazy and would not.
      Handlebars.precompile(text, { strict: false });
    } catch (err) {
      const first = String((err as Error).message).split('\n').filter(Boolean);
      findings.error('MANIFEST_TEMPLATE_INVALID', `${JSON.stringify(template)} does not compile: ${first.join(' ').replace(/\s+/g, ' ')}`, {
        where,
        hint: 'fix the Handlebars syntax (every {{#block}} needs its {{/block}})',
      });
    }
  }
}
