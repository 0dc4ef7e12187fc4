import type { Command } from 'commander';
import { action } from '../action.js';
import { readPassphraseFile, withPassphrasePrompt } from './sign-shared.js';

/** Registers plugin-sign. */
export function register(program: Command): void {
  program
    .command('plugin-sign')
    .description('write <tgz>.prov: an OpenPGP clear-signed statement of the package\'s name, version, size and integrity')
    .argument('<tgz>', 'package made by plugin-package')
    .option('--key <fingerprint>', 'sign with this own key (default: your default key)')
    .option('--passphrase-file <file>', 'passphrase of the key, on the file\'s first line')
    .action(action(async ({ out, home }, tgz: string, opts: { key?: string; passphraseFile?: string }) => {
      const passphrase = await readPassphraseFile(opts.passphraseFile);
      const { signPackage } = await import('../../core/sign/sign-package.js');
      const r = await withPassphrasePrompt(passphrase, (p) => signPackage(tgz, { home, key: opts.key, passphrase: p }));
      const data = { provPath: r.provPath, provenance: r.provenance, signer: { fingerprint: r.signer.fingerprint, userIds: r.signer.userIds } };
      out.result(data, () => [
        `signed ${r.provenance.name}@${r.provenance.version} → ${r.provPath}`,
        `signer: ${r.signer.fingerprint}${r.signer.userIds.length ? ` (${r.signer.userIds.join(', ')})` : ''}`,
        `integrity: ${r.provenance.integrity}`,
      ]);
    }));
}
