/** The manifest's `contributes.prompts[]` entry, as far as rendering needs it. */
export interface PromptArgumentSpec {
  name: string;
  description?: string;
  required?: boolean;
}

export type PromptRole = 'system' | 'user' | 'assistant';

/** One message of a prompt: a Handlebars template file (or inline template text). */
export interface PromptMessageSpec {
  role: PromptRole;
  /** Path of a Handlebars file, relative to the plugin folder. */
  template?: string;
  /** Inline Handlebars text, for short prompts. */
  text?: string;
}

export interface PromptSpec {
  name: string;
  title?: string;
  description?: string;
  arguments?: PromptArgumentSpec[];
  messages: PromptMessageSpec[];
}

/** A rendered message: role and plain text. */
export interface RenderedMessage {
  role: PromptRole;
  text: string;
}

/** Where a prompt comes from: the plugin's name, folder and the prompt's manifest entry. */
export interface PromptSource {
  plugin: string;
  dir: string;
  prompt: PromptSpec;
}
