import type { Command } from 'commander';
import { register as registerPackage } from './plugin-package.js';
import { register as registerSign } from './plugin-sign.js';
import { register as registerVerify } from './plugin-verify.js';

/** Registers the plugin-* commands. */
export function register(program: Command): void {
  registerPackage(program);
  registerSign(program);
  registerVerify(program);
}
