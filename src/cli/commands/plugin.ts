import type { Command } from 'commander';
import { register as registerCreate } from './plugin-create.js';

/** Registers the plugin-* commands. */
export function register(program: Command): void {
  registerCreate(program);
}
