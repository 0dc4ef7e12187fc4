import { PmError } from '../../core/errors.js';
import type { RenderedMessage } from './types.js';

export const PROMPT_FORMATS = ['text', 'openai', 'anthropic'] as const;
export type PromptFormat = (typeof PROMPT_FORMATS)[number];

/** OpenAI chat completions `messages`. */
export type OpenAIMessages = { role: 'system' | 'user' | 'assistant'; content: string }[];

/** Anthropic Messages API: a top-level `system` and alternating user/assistant `messages`. */
export interface AnthropicPrompt {
  system?: string;
  messages: { role: 'user' | 'assistant'; content: string }[];
}

/** Plain text: each message under its role, separated by a blank line. */
export function toText(messages: RenderedMessage[]): string {
  return messages.map((m) => `[${m.role}]\n${m.text}`).join('\n\n');
}

/** The chat `messages` array of OpenAI-style APIs; every role maps as it is. */
export function toOpenAI(messages: RenderedMessage[]): OpenAIMessages {
  return messages.map((m) => ({ role: m.role, content: m.text }));
}

function refuse(id: string, reason: string, hint: string, data: Record<string, unknown> = {}): PmError {
  return new PmError('PROMPT_FORMAT_UNSUPPORTED', `prompt ${id} cannot be given to the Anthropic Messages API: ${reason}`, {
    hint,
    data: { prompt: id, format: 'anthropic', ...data },
  });
}

/**
 * `{ system, messages }` for the Anthropic Messages API. Refuses, rather than silently
 * rearranging, what that API cannot take: more than one system message, a system message
 * after the conversation started, a first message not from the user, or two consecutive
 * messages from the same role.
 */
export function toAnthropic(messages: RenderedMessage[], id: string): AnthropicPrompt {
  const systems = messages.filter((m) => m.role === 'system');
  if (systems.length > 1) {
    throw refuse(id, `it has ${systems.length} system messages and the API takes one`, 'merge the system messages into one, or use --format openai', { reason: 'multiple-system' });
  }
  const start = messages[0]?.role === 'system' ? 1 : 0;
  const rest = messages.slice(start);
  const lateSystem = rest.findIndex((m) => m.role === 'system');
  if (lateSystem >= 0) {
    throw refuse(id, `message ${lateSystem + start + 1} is a system message after the conversation started`, 'put the system message first, or use --format openai', { reason: 'late-system' });
  }
  if (rest.length === 0) {
    throw refuse(id, 'it has no user message', 'add a user message to the prompt', { reason: 'no-user-message' });
  }
  if (rest[0].role !== 'user') {
    throw refuse(id, `the first message after the system prompt is from '${rest[0].role}', and it must be from 'user'`, 'start the conversation with a user message, or use --format openai', { reason: 'first-not-user' });
  }
  for (let i = 1; i < rest.length; i++) {
    if (rest[i].role === rest[i - 1].role) {
      throw refuse(id, `messages ${i + start} and ${i + start + 1} are both from '${rest[i].role}', and roles must alternate`, 'merge consecutive messages of the same role, or use --format openai', { reason: 'same-role-twice' });
    }
  }
  const out: AnthropicPrompt = start === 1 ? { system: messages[0].text, messages: [] } : { messages: [] };
  out.messages = rest.map((m) => ({ role: m.role as 'user' | 'assistant', content: m.text }));
  return out;
}

/** Formats rendered messages for `format`; `text` gives a string, the others JSON values. */
export function formatPrompt(messages: RenderedMessage[], format: PromptFormat, id: string): string | OpenAIMessages | AnthropicPrompt {
  switch (format) {
    case 'text':
      return toText(messages);
    case 'openai':
      return toOpenAI(messages);
    case 'anthropic':
      return toAnthropic(messages, id);
  }
}
