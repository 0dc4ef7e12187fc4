import type { Command } from 'commander';
import { action } from '../action.js';
import { usageError } from '../../core/errors.js';

interface ExportFlags { format?: string; out?: string; name?: string; packageUrl?: string; fileSha256?: string }

/** Registers plugin-export. */
export function register(program: Command): void {
  program
    .command('plugin-export')
    .description("write a plugin folder in another ecosystem's format (server-json: the MCP Registry's server.json)")
    .argument('[dir]', 'plugin folder', '.')
    .requiredOption('--format <format>', 'the format to write: server-json')
    .option('--out <file>', 'write it to this file (default: stdout)')
    .option('--name <name>', 'server-json: the registry name, e.g. io.github.<owner>/<plugin> (default: from the GitHub URL in plugin.json)')
    .option('--package-url <url>', "server-json: where the plugin's .mcpb is published (lists it as an mcpb package)")
    .option('--file-sha256 <hex>', 'server-json: the sha256 of that .mcpb')
    .addHelpText('after', `
Examples:
  $ pm plugin-export notes --format server-json --name io.github.me/notes --package-url https://github.com/me/notes/releases/download/v1.0.0/notes-1.0.0.mcpb --file-sha256 fe333e598595000ae021bd27117db32ec69af6987f507ba7a63c90638ff633ce
                                                 a plugin published as an .mcpb
  $ pm plugin-export ./weather --format server-json --out server.json
                                                 a plugin installed from npm: or pypi: (name from its GitHub URL)

Secrets (\${secret.NAME}) become required inputs marked isSecret; their values are never written.`)
    .action(action(async ({ out }, dir: string, o: ExportFlags) => {
      if (o.format !== 'server-json') throw usageError(`--format ${o.format} is not a format plugin-export writes`, 'formats: server-json');
      const { exportServerJson } = await import('../../core/mcp-registry/export-server-json.js');
      const r = await exportServerJson(dir, { out: o.out, name: o.name, packageUrl: o.packageUrl, fileSha256: o.fileSha256 });
      for (const d of r.dropped) out.warn(`${d.where} not carried over: ${d.reason}`);
      if (!r.file) {
        out.raw(`${JSON.stringify(r.serverJson, null, 2)}\n`);
        return;
      }
      out.result({ file: r.file, serverJson: r.serverJson, dropped: r.dropped }, () => `wrote ${r.serverJson.name}@${r.serverJson.version} (${r.serverJson.packages![0]!.registryType}) → ${r.file}`);
    }));
}
