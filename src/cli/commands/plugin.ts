import type { Command } from 'commander';
import { register as registerCreate } from './plugin-create.js';
import { register as registerValidate } from './plugin-validate.js';
import { register as registerPackage } from './plugin-package.js';
import { register as registerSign } from './plugin-sign.js';
import { register as registerVerify } from './plugin-verify.js';

/** Registers the plugin-* commands, one file each. */
export function register(program: Command): void {
  registerCreate(program);
  registerValidate(program);
  registerPackage(program);
  registerSign(program);
  registerVerify(program);
}
