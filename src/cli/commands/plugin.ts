import type { Command } from 'commander';
import { register as registerCreate } from './plugin-create.js';
import { register as registerValidate } from './plugin-validate.js';
import { register as registerTest } from './plugin-test.js';
import { register as registerBuild } from './plugin-build.js';
import { register as registerPackage } from './plugin-package.js';
import { register as registerExport } from './plugin-export.js';
import { register as registerSign } from './plugin-sign.js';
import { register as registerVerify } from './plugin-verify.js';
import { register as registerInstall } from './plugin-install.js';
import { register as registerUninstall } from './plugin-uninstall.js';
import { register as registerEnable } from './plugin-enable.js';
import { register as registerList } from './plugin-list.js';
import { register as registerInfo } from './plugin-info.js';
import { register as registerUpdate } from './plugin-update.js';
import { register as registerLink } from './plugin-link.js';
import { register as registerConfig } from './plugin-config.js';
import { register as registerMcpAdd } from './mcp-add.js';
import { register as registerToolsAccept } from './plugin-tools-accept.js';
import { register as registerTrust } from './plugin-trust.js';
import { register as registerPermissions } from './plugin-permissions.js';

/** Registers the plugin-* commands, one file each. */
export function register(program: Command): void {
  registerCreate(program);
  registerValidate(program);
  registerBuild(program);
  registerTest(program);
  registerPackage(program);
  registerExport(program);
  registerSign(program);
  registerVerify(program);
  registerInstall(program);
  registerUninstall(program);
  registerEnable(program);
  registerList(program);
  registerInfo(program);
  registerUpdate(program);
  registerLink(program);
  registerConfig(program);
  registerMcpAdd(program);
  registerToolsAccept(program);
  registerTrust(program);
  registerPermissions(program);
}
