import { describe, expect, it } from 'vitest';
import { findPrompt } from '../../../../src/host/prompts/sources.js';
import type { PromptSource } from '../../../../src/host/prompts/types.js';
import { PmError } from '../../../../src/core/errors.js';

const src = (plugin: string, name: string): PromptSource => ({ plugin, dir: `/p/${plugin}`, prompt: { name, messages: [{ role: 'user', text: 'x' }] } });
const sources = [src('prompt-pack', 'summary'), src('prompt-pack', 'code-review'), src('notes', 'digest'), src('a-b', 'c'), src('a', 'b-c')];
const found = (id: string) => { const s = findPrompt(sources, id); return `${s.plugin}/${s.prompt.name}`; };
const refusal = (id: string) => { try { findPrompt(sources, id); } catch (e) { return e as PmError; } throw new Error('no refusal'); };

describe('findPrompt', () => {
  it('finds a prompt named <plugin>.<prompt>', () => {
    expect(found('prompt-pack.summary')).toBe('prompt-pack/summary');
  });

  it('finds a prompt by the <plugin>__<prompt> name MCP clients show', () => {
    expect(found('prompt-pack__code-review')).toBe('prompt-pack/code-review');
    expect(found('notes__digest')).toBe('notes/digest');
  });

  it('finds a prompt by the name a client shows with another pm serve --name-separator', () => {
    expect(found('notes_x_digest')).toBe('notes/digest');
  });

  it('prefers the documented form when a guessed separator is ambiguous', () => {
    // "a-b.c" is plugin a-b, prompt c (not plugin a, separator "-", prompt "b.c").
    expect(found('a-b.c')).toBe('a-b/c');
    expect(found('a.b-c')).toBe('a/b-c');
  });

  it('refuses a name without a separator as a usage error that shows both forms', () => {
    const e = refusal('summary');
    expect([e.code, e.kind, e.message]).toEqual(['PROMPT_ID_INVALID', 'usage', "'summary' is not a prompt name"]);
    expect(e.hint).toContain('<plugin>__<prompt>');
  });

  it('refuses an unknown prompt of a known plugin and lists that plugin\'s prompts, in either form', () => {
    for (const id of ['prompt-pack.nope', 'prompt-pack__nope']) {
      const e = refusal(id);
      expect([e.code, e.message]).toEqual(['PROMPT_NOT_FOUND', `no enabled plugin has the prompt ${id}`]);
      expect(e.hint).toBe('prompt-pack has: prompt-pack.summary, prompt-pack.code-review');
    }
  });
});
