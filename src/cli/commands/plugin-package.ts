import type { Command } from 'commander';
import { action } from '../action.js';
import { isPmError, usageError } from '../../core/errors.js';
import type { Finding } from '../../core/warn.js';
import { formatBytes } from './sign-shared.js';
import { formatFinding } from '../../core/manifest/format.js';
import type { Output } from '../output.js';
/** An invalid plugin (PLUGIN_INVALID with the report in data): shows the validation report on stderr before the one-line error. */
export function showRefusedReport(out: Output, err: unknown): void {
  const report = isPmError(err) ? (err.data?.report as { errors?: Finding[]; warnings?: Finding[] } | undefined) : undefined;
  if (!report || out.json) return;
  for (const f of report.errors ?? []) process.stderr.write(`error   ${formatFinding(f)}\n`);
  for (const f of report.warnings ?? []) process.stderr.write(`warning ${formatFinding(f)}\n`);
}

/** Registers plugin-package. */
export function register(program: Command): void {
  program
    .command('plugin-package')
    .description('validate a plugin folder, then write its reproducible <name>-<version>.tgz')
    .argument('[dir]', 'plugin folder', '.')
    .option('--out <dir>', 'folder for the .tgz (default: the current folder)')
    .option('--strict', 'treat validation warnings as errors')
    .option('--format <format>', 'tgz (default) or mcpb: an MCP Bundle of a server plugin (docs/formats.md)', 'tgz')
    .action(action(async ({ out }, dir: string, opts: { out?: string; strict?: boolean; format: string }) => {
      if (opts.format === 'mcpb') {
        const { writeMcpb } = await import('../../core/pack/write-mcpb.js');
        const r = await writeMcpb(dir, { outDir: opts.out ?? process.cwd() });
        out.result(r, () => [`packaged ${r.name}@${r.version} → ${r.file}`, `files: ${r.files}`, `size: ${formatBytes(r.size)}`, `sha256: ${r.sha256}`]);
        return;
      }
      if (opts.format !== 'tgz') throw usageError(`--format ${opts.format} is not tgz or mcpb`);
      const { packPlugin } = await import('../../core/pack/pack-plugin.js');
      try {
        const { inspectEntry } = await import('../../host/inspect-entry.js');
        const r = await packPlugin(dir, { outDir: opts.out ?? process.cwd(), strict: opts.strict, inspectEntry });
        for (const w of r.warnings) out.warn(formatFinding(w));
        out.result(r, () => [
          `packaged ${r.name}@${r.version} → ${r.file}`,
          `files: ${r.files}`,
          `size: ${formatBytes(r.size)} (unpacked ${formatBytes(r.unpackedSize)})`,
          `integrity: ${r.integrity}`,
        ]);
      } catch (err) {
        showRefusedReport(out, err);
        throw err;
      }
    }));
}
