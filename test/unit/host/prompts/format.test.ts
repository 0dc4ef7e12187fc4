import { describe, expect, it } from 'vitest';
import { formatPrompt, toAnthropic } from '../../../../src/host/prompts/format.js';
import type { RenderedMessage } from '../../../../src/host/prompts/types.js';

const m = (role: RenderedMessage['role'], text: string): RenderedMessage => ({ role, text });
const convo = [m('system', 'Be brief.'), m('user', 'Hi'), m('assistant', 'Hello'), m('user', 'Bye')];

describe('formatPrompt', () => {
  it('text labels each message with its role', () => {
    expect(formatPrompt(convo.slice(0, 2), 'text', 'p.q')).toBe('[system]\nBe brief.\n\n[user]\nHi');
  });

  it('openai gives the chat messages array with every role as it is', () => {
    expect(formatPrompt(convo, 'openai', 'p.q')).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello' },
      { role: 'user', content: 'Bye' },
    ]);
  });

  it('anthropic lifts the system message to the top level', () => {
    expect(formatPrompt(convo, 'anthropic', 'p.q')).toEqual({
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }, { role: 'user', content: 'Bye' }],
    });
  });

  it('anthropic leaves out system when the prompt has none', () => {
    expect(toAnthropic([m('user', 'Hi')], 'p.q')).toEqual({ messages: [{ role: 'user', content: 'Hi' }] });
  });
});

describe('anthropic refusals', () => {
  const refusal = (msgs: RenderedMessage[]) => {
    try {
      toAnthropic(msgs, 'p.q');
    } catch (e) {
      return e as { code: string; message: string; kind: string; data: { reason: string } };
    }
    throw new Error('expected a refusal');
  };

  it('refuses more than one system message', () => {
    const e = refusal([m('system', 'a'), m('system', 'b'), m('user', 'c')]);
    expect(e).toMatchObject({ code: 'PROMPT_FORMAT_UNSUPPORTED', kind: 'usage', data: { reason: 'multiple-system' } });
    expect(e.message).toBe('prompt p.q cannot be given to the Anthropic Messages API: it has 2 system messages and the API takes one');
  });

  it('refuses a first message that is not from the user', () => {
    const e = refusal([m('system', 'a'), m('assistant', 'b'), m('user', 'c')]);
    expect(e.data.reason).toBe('first-not-user');
    expect(e.message).toContain("the first message after the system prompt is from 'assistant', and it must be from 'user'");
  });

  it('refuses two consecutive messages from the same role', () => {
    const e = refusal([m('user', 'a'), m('user', 'b')]);
    expect(e.data.reason).toBe('same-role-twice');
    expect(e.message).toContain("messages 1 and 2 are both from 'user', and roles must alternate");
  });

  it('refuses a system message after the conversation started rather than moving it', () => {
    expect(refusal([m('user', 'a'), m('system', 'b')]).data.reason).toBe('late-system');
  });

  it('refuses a prompt with only a system message', () => {
    expect(refusal([m('system', 'a')]).data.reason).toBe('no-user-message');
  });
});
