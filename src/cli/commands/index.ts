import type { Command } from 'commander';
import { register as registerPlugin } from './plugin.js';
import { register as registerMisc } from './misc.js';
import { register as registerMarketplace } from './marketplace.js';
import { register as registerRegistry } from './registry.js';
import { register as registerHook } from './hook.js';
import { register as registerKeys } from './keys.js';
import { register as registerPrompt } from './prompt.js';
import { register as registerServe } from './serve.js';
import { register as registerSecret } from './secret.js';
import { register as registerProfile } from './profile.js';
import { register as registerWebhook } from './webhook.js';
import { register as registerClientSetup } from './client-setup.js';

export interface CommandGroup {
  heading: string;
  register(program: Command): void;
}

/** Every command group in help order; groups hold only built commands. */
export const commandGroups: CommandGroup[] = [
  { heading: 'Plugin commands:', register: registerPlugin },
  { heading: 'Key commands:', register: registerKeys },
  { heading: 'Marketplace commands:', register: registerMarketplace },
  { heading: 'Registry commands:', register: registerRegistry },
  { heading: 'Hook commands:', register: registerHook },
  { heading: 'Prompt commands:', register: registerPrompt },
  { heading: 'Server commands:', register: registerServe },
  { heading: 'Client commands:', register: registerClientSetup },
  { heading: 'Secret commands:', register: registerSecret },
  { heading: 'Profile commands:', register: registerProfile },
  { heading: 'Webhook commands:', register: registerWebhook },
  { heading: 'Other commands:', register: registerMisc },
];
