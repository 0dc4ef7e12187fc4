import type { McpbUserConfigOption } from '../core/sources/mcpb-manifest.js';
import { canPrompt } from './commands/sign-shared.js';

/** On a terminal: asks for each user_config value not given with --config (sensitive ones hidden); elsewhere nothing. */
export function askBundleConfig(): ((key: string, o: McpbUserConfigOption) => Promise<string | undefined>) | undefined {
  if (!canPrompt()) return undefined;
  return async (key, o) => {
    const { input, password } = await import('@inquirer/prompts');
    const message = `${o.title} (${key})${o.required ? '' : ', optional'}: ${o.description}`;
    const answer = o.sensitive
      ? await password({ message, mask: '*' }, { output: process.stderr })
      : await input({ message, ...(o.default !== undefined ? { default: String(o.default) } : {}) }, { output: process.stderr });
    return answer === '' ? undefined : answer;
  };
}
