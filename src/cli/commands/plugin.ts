import type { Command } from 'commander';

/** Registers the plugin-* commands. */
export function register(_program: Command): void {}
