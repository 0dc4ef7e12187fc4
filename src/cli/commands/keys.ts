import type { Command } from 'commander';
import { action } from '../action.js';
import { isPmError, usageError } from '../../core/errors.js';
import { readRegularText } from '../../core/fs/read-regular-file.js';
import type { KeyInfo } from '../../core/sign/keyring.js';
import { canPrompt, readPassphraseFile } from './sign-shared.js';

/** Armored public keys are a few KiB; even one with thousands of signatures stays far below this. */
const MAX_KEY_FILE_BYTES = 4 * 1024 * 1024;

function keyLines(k: KeyInfo): string[] {
  const fpr = k.fingerprint.replace(/(.{4})/g, '$1 ').trim();
  const status = [k.own ? 'own' : k.trusted ? 'trusted' : 'imported, not trusted', k.default ? 'default' : '', k.revoked ? 'REVOKED' : '', k.expired ? 'EXPIRED' : ''].filter(Boolean).join(', ');
  return [
    `${fpr}  [${status}]`,
    ...k.userIds.map((u) => `  ${u}`),
    `  ${k.algorithm}, created ${k.created.slice(0, 10)}, ${k.expires ? `expires ${k.expires.slice(0, 10)}` : 'does not expire'}`,
  ];
}

/** Registers keys-generate, keys-list, keys-import, keys-trust and keys-export. */
export function register(program: Command): void {
  program
    .command('keys-generate')
    .description('make an OpenPGP Ed25519 signing key in PM_HOME/keys (the first one becomes the default)')
    .option('--name <name>', 'name in the key\'s user ID (default: your user name)')
    .option('--email <email>', 'e-mail in the key\'s user ID')
    .option('--passphrase-file <file>', 'protect the secret key with the passphrase on this file\'s first line')
    .action(action(async ({ out, home }, opts: { name?: string; email?: string; passphraseFile?: string }) => {
      const passphrase = await readPassphraseFile(opts.passphraseFile);
      const { openKeyring } = await import('../../core/sign/keyring.js');
      const key = await openKeyring(home).generate({ name: opts.name, email: opts.email, passphrase });
      out.result(key, () => ['generated key', ...keyLines(key), passphrase ? '' : 'note: the secret key has no passphrase; it is readable only by you (mode 0600)'].filter(Boolean));
    }));

  program
    .command('keys-list')
    .description('list your keys and imported keys with fingerprints, user IDs, dates and trust')
    .action(action(async ({ out, home }) => {
      const { openKeyring } = await import('../../core/sign/keyring.js');
      const keys = await openKeyring(home).list();
      out.result({ keys }, () => (keys.length ? keys.flatMap((k, i) => (i ? ['', ...keyLines(k)] : keyLines(k))) : ["no keys yet: run 'pm keys-generate' or 'pm keys-import <file>'"]));
    }));

  program
    .command('keys-import')
    .description('import an armored OpenPGP public key (e.g. from gpg --export --armor); does not trust it')
    .argument('<file>', 'armored public key file')
    .action(action(async ({ out, home }, file: string) => {
      let text: string;
      try {
        text = await readRegularText(file, { what: 'the key file', maxBytes: MAX_KEY_FILE_BYTES, hint: 'give the path of an armored public key file' });
      } catch (err) {
        if (isPmError(err)) throw err;
        throw usageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, 'give the path of an armored public key file');
      }
      const { openKeyring } = await import('../../core/sign/keyring.js');
      const keys = await openKeyring(home).import(text);
      out.result({ keys }, () => [
        ...keys.flatMap((k) => ['imported key', ...keyLines(k)]),
        ...keys.filter((k) => !k.trusted).map((k) => `to trust it for signatures: pm keys-trust ${k.fingerprint}`),
      ]);
    }));

  program
    .command('keys-trust')
    .description('trust an imported key to sign packages, after showing its fingerprint and user IDs')
    .argument('<fingerprint>', 'full fingerprint (or its last 16+ hex digits)')
    .option('--yes', 'trust without asking (required without a terminal)')
    .action(action(async ({ out, home }, ref: string, opts: { yes?: boolean }) => {
      const { openKeyring, noteUnusableKey } = await import('../../core/sign/keyring.js');
      const { Findings } = await import('../../core/warn.js');
      const { formatFinding } = await import('../../core/manifest/format.js');
      const keyring = openKeyring(home);
      const key = await keyring.get(ref);
      // Said before asking, so the user decides knowing the key cannot verify anything today.
      const findings = new Findings();
      noteUnusableKey(key, findings);
      for (const w of findings.warnings) out.warn(formatFinding(w));
      if (!opts.yes) {
        if (!canPrompt()) throw usageError('keys-trust needs confirmation', `check the fingerprint and user IDs with 'pm keys-list', then run again with --yes`);
        process.stderr.write(['About to trust this key to sign plugins:', ...keyLines(key), ''].join('\n') + '\n');
        const { confirm } = await import('@inquirer/prompts');
        const ok = await confirm({ message: 'Does this fingerprint match the one the publisher gave you?', default: false }, { output: process.stderr });
        if (!ok) {
          out.info('not trusted; nothing changed');
          return 1;
        }
      }
      const trusted = await keyring.trust(key.fingerprint);
      out.result({ ...trusted, warnings: findings.warnings }, () => ['trusted key', ...keyLines(trusted)]);
    }));

  program
    .command('keys-export')
    .description('print an armored public key (default: your default signing key)')
    .argument('[fingerprint]', 'key to export')
    .action(action(async ({ out, home }, ref?: string) => {
      const { openKeyring } = await import('../../core/sign/keyring.js');
      const keyring = openKeyring(home);
      const armored = await keyring.exportPublic(ref);
      const fingerprint = ref ? (await keyring.get(ref)).fingerprint : (await keyring.defaultSigningKey())?.fingerprint;
      out.result({ fingerprint, publicKey: armored }, () => armored.trimEnd());
    }));

  program
    .command('keys-trust-x509')
    .description('trust an X.509 certificate to sign MCP Bundles (.mcpb), and the certificates it issued')
    .argument('<cert>', 'the certificate, PEM or DER')
    .option('--yes', 'trust without asking (required without a terminal)')
    .action(action(async ({ out, home }, file: string, opts: { yes?: boolean }) => {
      const { parseCertificate, trustX509 } = await import('../../core/sources/mcpb-signature.js');
      const { readFile } = await import('node:fs/promises');
      parseCertificate(await readFile(file), file);
      if (!opts.yes) {
        if (!canPrompt()) throw usageError('keys-trust-x509 needs confirmation', 'check the certificate (openssl x509 -in <cert> -noout -subject -fingerprint -sha256), then run again with --yes');
        const { confirm } = await import('@inquirer/prompts');
        const ok = await confirm({ message: `Trust ${file} to sign bundles?`, default: false }, { output: process.stderr });
        if (!ok) {
          out.info('not trusted; nothing changed');
          return 1;
        }
      }
      const r = await trustX509(file, { home });
      out.result(r, () => [`trusted X.509 signer ${r.subject}${r.selfSigned ? ' (self-signed)' : ''}`, `sha256 ${r.fingerprint}`]);
    }));
}
