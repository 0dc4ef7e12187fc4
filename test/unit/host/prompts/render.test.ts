import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderPrompt, TemplateCache } from '../../../../src/host/prompts/render.js';
import type { PromptSource, PromptSpec } from '../../../../src/host/prompts/types.js';
import { repoRoot, tempDir } from '../../../helpers/pm.js';

const dir = join(repoRoot, 'test', 'fixtures', 'serve-plugins', 'greeter');
const manifest = JSON.parse(readFileSync(join(dir, 'plugin.json'), 'utf8')) as { contributes: { prompts: PromptSpec[] } };
const source = (name: string): PromptSource => ({ plugin: 'greeter', dir, prompt: manifest.contributes.prompts.find((p) => p.name === name)! });
const tmp = await tempDir();
afterAll(() => tmp.cleanup());

describe('renderPrompt', () => {
  it('renders each message template with the arguments, without HTML escaping', async () => {
    const msgs = await renderPrompt(source('summarize'), { topic: 'MCP', style: 'short' });
    expect(msgs).toEqual([
      { role: 'system', text: 'You write short summaries. Keep <tags> & quotes " as they are.' },
      { role: 'user', text: 'Summarize MCP.' },
    ]);
  });

  it('renders an absent optional argument as empty, not "undefined"', async () => {
    const msgs = await renderPrompt(source('summarize'), { topic: 'MCP' });
    expect(msgs[0].text).toBe('You write plain summaries. Keep <tags> & quotes " as they are.');
  });

  it('refuses a missing required argument, naming it', async () => {
    await expect(renderPrompt(source('summarize'), { style: 'short' })).rejects.toMatchObject({
      code: 'PROMPT_ARGUMENT_MISSING',
      kind: 'usage',
      message: "prompt greeter.summarize needs the argument 'topic' (what to summarize)",
    });
  });

  it('refuses an argument the prompt does not declare, listing the declared ones', async () => {
    await expect(renderPrompt(source('summarize'), { topic: 'x', tone: 'dry' })).rejects.toMatchObject({
      code: 'PROMPT_ARGUMENT_UNKNOWN',
      message: "prompt greeter.summarize has no argument 'tone'",
      hint: 'its arguments are: topic, style',
    });
  });

  it('refuses a template path that leaves the plugin folder (path traversal)', async () => {
    const evil: PromptSource = { plugin: 'evil', dir: join(tmp.dir, 'evil'), prompt: { name: 'p', messages: [{ role: 'user', template: '../secret.txt' }] } };
    await writeFile(join(tmp.dir, 'secret.txt'), 'top secret');
    await expect(renderPrompt(evil, {})).rejects.toMatchObject({ code: 'PROMPT_TEMPLATE_OUTSIDE' });
  });

  it('says which template is missing', async () => {
    const p: PromptSource = { plugin: 'x', dir: tmp.dir, prompt: { name: 'p', messages: [{ role: 'user', template: 'prompts/none.hbs' }] } };
    await expect(renderPrompt(p, {})).rejects.toMatchObject({ code: 'PROMPT_TEMPLATE_MISSING', message: "prompt x.p: cannot read template 'prompts/none.hbs': ENOENT" });
  });

  it('reports a template with broken Handlebars syntax as invalid, naming the message', async () => {
    await mkdir(join(tmp.dir, 'bad'), { recursive: true });
    await writeFile(join(tmp.dir, 'bad', 'b.hbs'), 'Hello {{#if x}} never closed');
    const p: PromptSource = { plugin: 'bad', dir: join(tmp.dir, 'bad'), prompt: { name: 'p', messages: [{ role: 'user', template: 'b.hbs' }] } };
    await expect(renderPrompt(p, {})).rejects.toMatchObject({ code: 'PROMPT_TEMPLATE_INVALID', message: expect.stringMatching(/^prompt bad.p: message 1 does not render: /) });
  });

  it('renders inline text messages and reuses compiled templates from the cache', async () => {
    const cache = new TemplateCache();
    const p: PromptSource = { plugin: 'x', dir: tmp.dir, prompt: { name: 'p', arguments: [{ name: 'n' }], messages: [{ role: 'user', text: 'Hi {{n}}' }] } };
    expect(await renderPrompt(p, { n: 'Ada' }, cache)).toEqual([{ role: 'user', text: 'Hi Ada' }]);
    expect(await renderPrompt(p, { n: 'Bob' }, cache)).toEqual([{ role: 'user', text: 'Hi Bob' }]);
  });
});
