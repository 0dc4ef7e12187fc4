import type { Command } from 'commander';
import { register as registerValidate } from './plugin-validate.js';

/** Registers the plugin-* commands, one file each. */
export function register(program: Command): void {
  registerValidate(program);
}
