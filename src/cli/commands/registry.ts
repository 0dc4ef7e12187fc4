import type { Command } from 'commander';
import { action } from '../action.js';
import { ExitCode, isPmError, usageError } from '../../core/errors.js';

/** Registers registry-build and registry-validate (the publisher side of a marketplace). */
export function register(program: Command): void {
  program
    .command('registry-build')
    .description('build or update a static marketplace site from signed packages, and sign its index')
    .argument('<packages-dir>', 'folder with <name>-<version>.tgz packages and their .prov files')
    .requiredOption('--out <site>', 'the site folder to create or update')
    .option('--sign-key <fpr>', 'key to sign index.json with (default: your default key)')
    .option('--unsigned', 'write an unsigned index (clients then need --allow-unsigned)')
    .option('--allow-unsigned-packages', 'accept packages without a .prov')
    .option('--base-url <url>', 'URL the site is served from; clients refuse the index elsewhere')
    .option('--expires-in <duration>', 'how long the index stays valid: 90m, 12h, 30d, 2w or never', '30d')
    .option('--name <name>', 'registry name written in the index (default: kept, else the site folder name)')
    .option('--passphrase-file <file>', 'passphrase of the signing key, on the file\'s first line')
    .option('--stats <file>', 'JSON of ratings and downloads: { "<plugin>": { "rating": 4.5, "downloads": 10 } }')
    .option('--claude-marketplace', 'also write .claude-plugin/marketplace.json: each plugin as a Claude Code plugin run through pm serve')
    .action(action(async ({ out, home }, dir: string, o: { out: string; signKey?: string; unsigned?: boolean; allowUnsignedPackages?: boolean; baseUrl?: string; expiresIn: string; name?: string; passphraseFile?: string; stats?: string; claudeMarketplace?: boolean }) => {
      const { buildRegistry } = await import('../../core/registry/build.js');
      const { readRegularText } = await import('../../core/fs/read-regular-file.js');
      const readOrUsage = async (f: string, what: string) => readRegularText(f, { what, maxBytes: 16 * 1024 * 1024 }).catch((err: NodeJS.ErrnoException) => {
        if (isPmError(err)) throw err;
        throw usageError(`cannot read ${what} ${f}: ${err.code ?? err.message}`, 'check the path');
      });
      const passphrase = o.passphraseFile ? (await readOrUsage(o.passphraseFile, '--passphrase-file')).split(/\r?\n/)[0] : undefined;
      let stats;
      if (o.stats) {
        try {
          stats = JSON.parse(await readOrUsage(o.stats, '--stats'));
        } catch (err) {
          if (isPmError(err)) throw err;
          throw usageError(`--stats ${o.stats} is not JSON: ${(err as Error).message}`, 'give { "<plugin>": { "rating": 4.5, "downloads": 10 } }');
        }
      }
      const r = await buildRegistry(dir, { out: o.out, home, signKey: o.signKey, unsigned: o.unsigned, allowUnsignedPackages: o.allowUnsignedPackages, baseUrl: o.baseUrl, expiresIn: o.expiresIn, name: o.name, passphrase, stats, claudeMarketplace: o.claudeMarketplace });
      out.result(r, () => [
        `built registry ${r.name} version ${r.version} in ${r.out}: ${r.plugins} plugins, ${r.versions} versions`,
        r.added.length ? `added: ${r.added.join(', ')}` : 'added: nothing new',
        ...(r.unchanged.length ? [`already published: ${r.unchanged.join(', ')}`] : []),
        r.signedBy ? `index signed by ${r.signedBy}; expires ${r.expires ?? 'never'}` : 'index NOT signed (clients need --allow-unsigned)',
        ...(r.claudeFiles ? [`Claude Code marketplace: .claude-plugin/marketplace.json (${r.plugins} plugins under claude-plugins/, run through pm serve)`] : []),
      ]);
    }));

  program
    .command('registry-validate')
    .description('check a marketplace site before publishing: schema, signature, packages, provenance, immutability')
    .argument('<site>', 'the site folder')
    .option('--previous <index.json>', 'the index currently published: versions must be unchanged and the counter higher')
    .option('--key <file...>', 'public key file(s) the index signature must verify with (default: the site\'s key.asc)')
    .action(action(async ({ out, home }, site: string, o: { previous?: string; key?: string[] }) => {
      const { validateSite } = await import('../../core/registry/validate-site.js');
      const r = await validateSite(site, { home, previous: o.previous, keyFiles: o.key });
      out.result(r, () => [
        ...r.problems.map((p) => `${out.c.red('problem')} ${p.where}: ${p.message} [${p.code}]`),
        r.ok
          ? `ok: ${r.site} version ${r.version}, ${r.plugins} plugins, ${r.versions} versions, signature ${r.signature}`
          : `${r.problems.length} problem${r.problems.length === 1 ? '' : 's'} in ${r.site}`,
      ]);
      return r.ok ? ExitCode.ok : ExitCode.validation;
    }));
}
