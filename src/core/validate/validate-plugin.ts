import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PmError } from '../errors.js';
import { Findings } from '../warn.js';
import { checkBuild } from './check-build.js';
import { checkCode } from './check-code.js';
import { checkEntry } from './check-entry.js';
import { checkFolder } from './check-folder.js';
import { checkManifest } from './check-manifest.js';
import { checkSecrets } from './check-secrets.js';
import { checkServer } from './check-server.js';
import { checkServerTools } from './check-server-tools.js';
import { checkImplementation } from './check-implementation.js';
import { listPluginFiles } from './list-files.js';
import type { InspectEntry, PluginCheck, PluginCheckContext, PluginFile, ValidationReport } from './types.js';

/** The checks of a plugin folder, in report order; the manifest check runs first and sets ctx.manifest. */
export const pluginChecks: PluginCheck[] = [checkManifest, checkEntry, checkServer, checkFolder, checkSecrets, checkCode, checkImplementation, checkServerTools];

export interface ValidatePluginOptions {
  /** Warnings (unknown fields, eval, undeclared env…) become errors. */
  strict?: boolean;
  /**
   * Loads the entry in the sandbox (or starts a server plugin) for the implementation checks; the
   * CLI and the testing kit pass host/inspect-entry's inspectEntry. Without it those checks are
   * warnings (ENTRY_NOT_INSPECTED, SERVER_NOT_INSPECTED).
   */
  inspectEntry?: InspectEntry;
  /** First rebuild a TypeScript plugin whose sources are newer than its output (plugin-validate, folder install). */
  build?: boolean;
  /** Replaces the default list of checks (pluginChecks). */
  checks?: PluginCheck[];
}

/**
 * Validates a plugin folder: the manifest, the files (entry, links, sizes, secrets) and a
 * static scan of its code. Never throws for a broken plugin (that is the report); throws
 * PmError (usage) only when `dir` is not a folder.
 */
export async function validatePlugin(dir: string, opts: ValidatePluginOptions = {}): Promise<ValidationReport> {
  const abs = resolve(dir);
  const st = await stat(abs).catch(() => undefined);
  if (!st?.isDirectory()) {
    throw new PmError('PLUGIN_DIR_MISSING', `${abs} ${st ? 'is not a folder' : 'does not exist'}`, {
      hint: 'give the plugin folder (the one holding plugin.json), or run pm plugin-validate inside it',
      data: { dir: abs },
    });
  }
  let files: Promise<PluginFile[]> | undefined;
  const ctx: PluginCheckContext = {
    dir: abs,
    strict: Boolean(opts.strict),
    findings: new Findings(Boolean(opts.strict)),
    files: () => (files ??= listPluginFiles(abs)),
    ...(opts.inspectEntry ? { inspectEntry: opts.inspectEntry } : {}),
  };
  for (const check of opts.checks ?? (opts.build ? [checkBuild, ...pluginChecks] : pluginChecks)) {
    await check(ctx);
    if (ctx.stop) break;
  }
  const { errors, warnings } = ctx.findings;
  return { ok: errors.length === 0, dir: abs, ...(ctx.manifest ? { manifest: ctx.manifest } : {}), errors, warnings };
}
